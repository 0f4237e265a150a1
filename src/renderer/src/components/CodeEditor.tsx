import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { yaml } from '@codemirror/lang-yaml'
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { linter, lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { EditorState } from '@codemirror/state'
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view'
import { useEffect, useRef } from 'react'

export interface EditorProblem {
  readonly line: number
  readonly column: number
  readonly severity: 'error' | 'warning'
  readonly message: string
}

interface CodeEditorProps {
  readonly value: string
  readonly onChange: (value: string) => void
  /** Shown inline at their line and column, and in the gutter. */
  readonly problems: readonly EditorProblem[]
  /** Names the editor for assistive technology (its visible label's text). */
  readonly label: string
  readonly testId?: string
  /** Set to move the cursor to a place (e.g. a problem the user clicked). */
  readonly goTo?: { readonly line: number; readonly column: number; readonly at: number } | null
}

/** A YAML editor (CodeMirror 6): highlighting, line numbers, undo, and the problems main found, inline. */
export function CodeEditor({ value, onChange, problems, label, testId, goTo }: CodeEditorProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const changed = useRef(onChange)
  useEffect(() => {
    changed.current = onChange
  }, [onChange])

  useEffect(() => {
    if (host.current === null) return
    // In a shadow root CodeMirror styles itself through constructed style sheets, which the strict
    // CSP allows; in the document it would add <style> elements, which `style-src 'self'` refuses.
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({ mode: 'open' })
    const parent = document.createElement('div')
    shadow.replaceChildren(parent)
    const editor = new EditorView({
      root: shadow,
      parent,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle),
          yaml(),
          lintGutter(),
          // Problems come from main (the whole pipeline runs there); this linter only keeps them placed.
          linter(null),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.theme({
            '&': { minHeight: '14em', maxHeight: '50vh', fontSize: '0.9em' },
            '.cm-scroller': { overflow: 'auto', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' },
          }),
          EditorView.contentAttributes.of({
            'aria-label': label,
            ...(testId === undefined ? {} : { 'data-testid': testId }),
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString())
          }),
        ],
      }),
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
    // The editor is made once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    const editor = view.current
    if (editor === null || editor.state.doc.toString() === value) return
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } })
  }, [value])

  useEffect(() => {
    const editor = view.current
    if (editor === null) return
    const doc = editor.state.doc
    const diagnostics: Diagnostic[] = problems.flatMap((problem) => {
      if (problem.line < 1 || problem.line > doc.lines) return []
      const line = doc.line(problem.line)
      const from = Math.min(line.from + Math.max(0, problem.column - 1), line.to)
      return [{ from, to: Math.max(from, line.to), severity: problem.severity, message: problem.message }]
    })
    editor.dispatch(setDiagnostics(editor.state, diagnostics))
  }, [problems])

  useEffect(() => {
    const editor = view.current
    if (editor === null || goTo === null || goTo === undefined) return
    const doc = editor.state.doc
    if (goTo.line < 1 || goTo.line > doc.lines) return
    const line = doc.line(goTo.line)
    const at = Math.min(line.from + Math.max(0, goTo.column - 1), line.to)
    editor.dispatch({ selection: { anchor: at }, scrollIntoView: true })
    editor.focus()
  }, [goTo])

  return <div ref={host} className="code-editor" />
}
