; Module references: every place a file names another module.
; Captures:
;   @import    an `import ... from '...'` or `import '...'` statement
;   @reexport  an `export ... from '...'` statement
;   @require   an `import x = require('...')` statement
;   @dynamic   an `import('...')` call (reported, never rewritten)
(program (import_statement) @import)
(program (export_statement source: (string)) @reexport)
(call_expression function: (import) arguments: (arguments . (string))) @dynamic
