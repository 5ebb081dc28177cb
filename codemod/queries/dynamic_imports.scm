; Dynamic imports anywhere in a file (reported, never rewritten).
; Captures:
;   @dynamic   an `import('...')` call whose argument is a string literal
(call_expression function: (import) arguments: (arguments . (string))) @dynamic
