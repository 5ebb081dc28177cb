; Top-level export statements (local declarations, lists, defaults, `export =`).
; Statements with a `from` source are captured by imports.scm instead.
; Captures:
;   @export    an `export ...` statement at the top level of the file
(program (export_statement !source) @export)
