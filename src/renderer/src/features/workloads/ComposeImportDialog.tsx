import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ComposeProblem, ComposeProblemCode } from '../../../../shared/types/compose'
import { slugSchema } from '../../../../shared/schema'
import { slipway } from '../../api/client'
import { navigate } from '../../app/route'
import { CodeEditor } from '../../components/CodeEditor'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { workloadHash } from './links'
import { useImportCompose } from './queries'
import { formatPort } from './workloadText'

interface ComposeImportDialogProps {
  readonly hostId: string
  readonly onClose: () => void
}

const PREVIEW_DELAY_MS = 300

/** The text's value, once it has stopped changing for a moment: what the preview is asked for. */
function useSettled<T>(value: T): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), PREVIEW_DELAY_MS)
    return () => clearTimeout(timer)
  }, [value])
  return settled
}

/** Paste or open a compose file (and its .env); every problem shows at its line before anything is made. */
export function ComposeImportDialog({ hostId, onClose }: ComposeImportDialogProps): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const [cursor, setCursor] = useState<{ line: number; column: number; at: number } | null>(null)
  const [name, setName] = useState('')
  const [text, setText] = useState('')
  const [envText, setEnvText] = useState('')
  const [projectDir, setProjectDir] = useState('')
  const [profiles, setProfiles] = useState<readonly string[]>([])
  const importing = useImportCompose()

  const validName = slugSchema.safeParse(name.trim()).success
  const dir = projectDir.trim() === '' ? null : projectDir.trim()
  const source = useSettled({
    text,
    envText: envText === '' ? null : envText,
    projectDir: dir !== null && dir.startsWith('/') ? dir : null,
    name: validName ? name.trim() : 'preview',
    profiles: [...profiles],
  })
  const preview = useQuery({
    queryKey: ['compose', 'preview', source],
    queryFn: () => slipway.compose.preview(source),
    enabled: source.text.trim() !== '',
    placeholderData: keepPreviousData,
  })
  const problems = preview.data?.problems ?? []
  const planned = preview.data?.workload ?? null
  const errors = problems.filter((p) => p.severity === 'error')
  const ready = planned !== null && errors.length === 0 && validName

  const openFile = async (file: File | undefined, into: (text: string) => void): Promise<void> => {
    if (file === undefined) return
    into(await file.text())
  }
  // `at` counts clicks, so a second click on the same problem moves the cursor there again.
  const goTo = (problem: ComposeProblem): void =>
    setCursor((last) => ({ line: problem.line, column: problem.column, at: (last?.at ?? 0) + 1 }))

  return (
    <Dialog
      title={t('workloads.compose.importTitle')}
      onClose={onClose}
      busy={importing.isPending}
      large
      testId="compose-import"
    >
      <form
        className="stack"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!ready) return
          importing.mutate(
            { ...source, name: name.trim(), hostId, snapshotBeforeDeploy: true },
            {
              onSuccess: (created) => {
                onClose()
                navigate(workloadHash(hostId, created.id))
              },
            },
          )
        }}
      >
        <div className="form-grid form-grid-2">
          <div className="form-field">
            <label htmlFor={`${id}-name`}>{t('workloads.form.name')}</label>
            <input
              id={`${id}-name`}
              value={name}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={name !== '' && !validName}
              data-testid="compose-name"
              onChange={(event) => setName(event.target.value)}
            />
            <span className="hint">{t('workloads.compose.nameHint')}</span>
          </div>
          <div className="form-field">
            <label htmlFor={`${id}-dir`}>{t('workloads.compose.projectDir')}</label>
            <input
              id={`${id}-dir`}
              className="mono"
              value={projectDir}
              autoComplete="off"
              spellCheck={false}
              placeholder={t('workloads.compose.projectDirPlaceholder')}
              data-testid="compose-dir"
              onChange={(event) => setProjectDir(event.target.value)}
            />
            <span className="hint">{t('workloads.compose.projectDirHint')}</span>
          </div>
        </div>
        <div className="toolbar">
          <label className="button-like">
            {t('workloads.compose.openFile')}
            <input
              type="file"
              accept=".yml,.yaml"
              className="visually-hidden"
              data-testid="compose-open"
              onChange={(event) => void openFile(event.target.files?.[0], setText)}
            />
          </label>
          <label className="button-like">
            {t('workloads.compose.openEnv')}
            <input
              type="file"
              className="visually-hidden"
              data-testid="compose-open-env"
              onChange={(event) => void openFile(event.target.files?.[0], setEnvText)}
            />
          </label>
        </div>
        <div className="form-field">
          <span className="field-label">{t('workloads.compose.file')}</span>
          <CodeEditor
            label={t('workloads.compose.file')}
            value={text}
            onChange={setText}
            testId="compose-text"
            goTo={cursor}
            problems={problems.map((p) => ({
              line: p.line,
              column: p.column,
              severity: p.severity,
              message: `${problemText(t, p.code)} ${p.path} ${p.detail}`,
            }))}
          />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-env`}>{t('workloads.compose.env')}</label>
          <textarea
            id={`${id}-env`}
            className="mono code-area"
            rows={3}
            spellCheck={false}
            value={envText}
            data-testid="compose-env"
            onChange={(event) => setEnvText(event.target.value)}
          />
          <span className="hint">{t('workloads.compose.envHint')}</span>
        </div>
        {(preview.data?.profiles.length ?? 0) > 0 && (
          <fieldset className="plain-fieldset">
            <legend>{t('workloads.compose.profiles')}</legend>
            {preview.data?.profiles.map((profile) => (
              <label className="checkbox" key={profile}>
                <input
                  type="checkbox"
                  checked={profiles.includes(profile)}
                  onChange={(event) =>
                    setProfiles(event.target.checked ? [...profiles, profile] : profiles.filter((p) => p !== profile))
                  }
                />
                <span>{profile}</span>
              </label>
            ))}
          </fieldset>
        )}
        {preview.isError && <ErrorText error={preview.error} />}
        {problems.length > 0 && (
          <ul className="plain-list problems" data-testid="compose-problems">
            {problems.map((problem, i) => (
              <li key={i} className={problem.severity === 'error' ? 'error' : 'warning-text'} data-line={problem.line}>
                <button type="button" className="link-button" onClick={() => goTo(problem)}>
                  {t('workloads.compose.at', { line: problem.line, column: problem.column })}
                </button>{' '}
                {problemText(t, problem.code)} <span className="mono">{problem.path}</span>{' '}
                <span className="muted">{problem.detail}</span>
              </li>
            ))}
          </ul>
        )}
        {planned !== null && (
          <dl className="facts" data-testid="compose-summary">
            <dt>{t('workloads.adopt.services')}</dt>
            <dd className="mono">{planned.services.map((s) => s.name).join(', ')}</dd>
            <dt>{t('workloads.setting.networks')}</dt>
            <dd className="mono">{planned.networks.map((n) => n.name).join(', ') || '—'}</dd>
            <dt>{t('workloads.adopt.volumes')}</dt>
            <dd className="mono">{planned.volumes.map((v) => v.name).join(', ') || '—'}</dd>
            <dt>{t('workloads.form.ports.title')}</dt>
            <dd className="mono">{planned.services.flatMap((s) => s.ports.map(formatPort)).join(', ') || '—'}</dd>
            {(preview.data?.secretNames.length ?? 0) > 0 && (
              <>
                <dt>{t('workloads.compose.secrets')}</dt>
                <dd className="mono">{preview.data?.secretNames.join(', ')}</dd>
              </>
            )}
          </dl>
        )}
        {importing.isError && <ErrorText error={importing.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={importing.isPending}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="primary"
            disabled={!ready || importing.isPending}
            data-testid="compose-import-confirm"
          >
            {t('workloads.compose.import')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function problemText(t: ReturnType<typeof useTranslation>['t'], code: ComposeProblemCode): string {
  switch (code) {
    case 'yaml':
      return t('workloads.compose.problem.yaml')
    case 'schema':
      return t('workloads.compose.problem.schema')
    case 'interpolation':
      return t('workloads.compose.problem.interpolation')
    case 'unsupported':
      return t('workloads.compose.problem.unsupported')
    case 'no_effect':
      return t('workloads.compose.problem.no_effect')
    case 'invalid':
      return t('workloads.compose.problem.invalid')
    case 'reference':
      return t('workloads.compose.problem.reference')
  }
}
