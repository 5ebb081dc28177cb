; Module references at the top level of a file (dynamic_imports.scm finds the rest).
; Captures:
;   @import    an `import ... from '...'` or `import '...'` statement
;   @reexport  an `export ... from '...'` statement
;   @require   an `import x = require('...')` statement
(program (import_statement) @import)
(program (export_statement source: (string)) @reexport)
