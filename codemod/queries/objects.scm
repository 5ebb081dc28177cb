; Object literals with two named children or more, anywhere in a file (SF004 looks for
; repeated keys, which an object of fewer cannot have: 21,567 of the 51,444 object
; literals of the benchmark's 4,993 files are captured, in three quarters of the time).
; Captures:
;   @object   an object literal `{ ... }`
(object (_) (_)) @object
