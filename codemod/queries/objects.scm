; Object literals anywhere in a file (SF004 looks for repeated keys).
; Captures:
;   @object   an object literal `{ ... }`
(object) @object
