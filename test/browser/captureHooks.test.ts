import { describe, expect, it } from 'vitest'
import type { CaptureHooks, SnapshotSummary } from '../../src/shared/types/snapshots'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { openRenderer } from '../helpers/browser'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { tempDir } from '../helpers/tempDir'
import { testEnv } from '../helpers/testEnv'
import { buildTree } from '../helpers/tree'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

describe('capture hooks in the UI', () => {
  it('saves hooks in order, refuses a bad timeout, and shows a failed post hook and a failed pre hook', async () => {
    importedImage('slipway-test/app:a', 'A')
    const data = tempDir('ui-hooks-')
    buildTree(data, { 'notes.txt': { type: 'file', content: 'hooked\n' } })
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const w = await deployedWorkload(instance, 'local', 'hookui', [{ kind: 'bind', source: data, target: '/data' }])
    const { router } = instance.slipway
    const saved = async (): Promise<CaptureHooks> =>
      value<CaptureHooks>(await router.invoke('snapshots.hooks', { workloadId: w.id }))
    const session = await openRenderer(instance)
    try {
      const { page } = session
      const base = session.server.url.split('?')[0] ?? ''
      await page.goto(`${base}#/workloads/local/${w.id}`)
      const section = page.getByTestId('capture-hooks')
      await section.getByTestId('hooks-empty').waitFor({ state: 'visible' })

      // A pre hook with a timeout of 0: refused in the form, nothing saved.
      await section.getByTestId('hook-add').click()
      expect(await section.getByTestId('hook-0-timeout').inputValue()).toBe('300')
      expect(await section.getByTestId('hook-0-phase').inputValue()).toBe('pre')
      expect(await section.getByTestId('hook-0-service').inputValue()).toBe('app')
      await section.getByTestId('hook-0-command').fill('echo "pre says hi"')
      await section.getByTestId('hook-0-timeout').fill('0')
      await section.getByTestId('hooks-save').click()
      const timeoutError = section.getByTestId('hook-0-error-timeoutSeconds')
      await timeoutError.waitFor({ state: 'visible' })
      expect(await timeoutError.textContent()).toContain('3,600')
      expect(await section.getByTestId('hook-0-timeout').getAttribute('aria-invalid')).toBe('true')
      expect(await saved()).toEqual({ hooks: [], continueOnPreFailure: false })
      await section.getByTestId('hook-0-timeout').fill('30')

      // A post hook that fails, and a pre hook added last, moved to the top.
      await section.getByTestId('hook-add').click()
      await section.getByTestId('hook-1-phase').selectOption('post')
      await section.getByTestId('hook-1-command').fill('echo "post says bye"; exit 5')
      await section.getByTestId('hook-add').click()
      await section.getByTestId('hook-2-command').fill('echo first')
      await section.getByTestId('hook-2-up').click()
      await section.getByTestId('hook-1-up').click()
      expect(await section.getByTestId('hook-0-command').inputValue()).toBe('echo first')
      expect(await section.getByTestId('hook-0-up').isDisabled()).toBe(true)
      expect(await section.getByTestId('hook-2-down').isDisabled()).toBe(true)
      // And one added by mistake, removed.
      await section.getByTestId('hook-add').click()
      await section.getByTestId('hook-3-remove').click()
      await session.screenshot('capture-hooks-form')
      await section.getByTestId('hooks-save').click()
      await section.getByTestId('hooks-saved').waitFor({ state: 'visible' })
      const expected: CaptureHooks = {
        hooks: [
          { phase: 'pre', service: 'app', command: 'echo first', timeoutSeconds: 300 },
          { phase: 'pre', service: 'app', command: 'echo "pre says hi"', timeoutSeconds: 30 },
          { phase: 'post', service: 'app', command: 'echo "post says bye"; exit 5', timeoutSeconds: 300 },
        ],
        continueOnPreFailure: false,
      }
      expect(await saved()).toEqual(expected)

      await page.reload()
      await section.getByTestId('hook-2').waitFor({ state: 'visible' })
      for (const [i, hook] of expected.hooks.entries()) {
        expect(await section.getByTestId(`hook-${i}-phase`).inputValue()).toBe(hook.phase)
        expect(await section.getByTestId(`hook-${i}-service`).inputValue()).toBe(hook.service)
        expect(await section.getByTestId(`hook-${i}-command`).inputValue()).toBe(hook.command)
        expect(await section.getByTestId(`hook-${i}-timeout`).inputValue()).toBe(String(hook.timeoutSeconds))
      }
      expect(await section.getByTestId('hook-3').count()).toBe(0)
      expect(await section.getByTestId('hooks-continue-on-pre-failure').isChecked()).toBe(false)

      // A capture: it succeeds, and its row says a hook failed; the runs show why.
      await page.getByTestId('capture-now').click()
      await page.getByTestId('capture-mode-stop').check()
      await page.getByTestId('confirm-capture').click()
      await page.getByTestId('capture-done').waitFor({ state: 'visible', timeout: 60_000 })
      const snapshotId = (await page.getByTestId('capture-done').getAttribute('data-snapshot-id')) ?? ''
      const row = page.getByTestId(`snapshot-row-${snapshotId}`)
      await row.waitFor({ state: 'visible', timeout: 20_000 })
      const badge = row.getByTestId('hooks-badge')
      expect(await badge.textContent()).toBe('hook failed')
      expect(await badge.getAttribute('data-ran')).toBe('3')
      expect(await badge.getAttribute('data-failed')).toBe('1')
      const toggle = row.getByTestId(`hook-runs-toggle-${snapshotId}`)
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      const runs = page.getByTestId(`hook-runs-${snapshotId}`)
      await runs.getByTestId('hook-run-2').waitFor({ state: 'visible' })
      expect(await toggle.getAttribute('aria-controls')).toBe(await runs.getAttribute('id'))
      expect(await runs.getByTestId('hook-run-0').getAttribute('data-outcome')).toBe('ok')
      expect(await runs.getByTestId('hook-run-1').getByTestId('hook-run-output').textContent()).toBe('pre says hi\n')
      const post = runs.getByTestId('hook-run-2')
      expect(await post.getAttribute('data-phase')).toBe('post')
      expect(await post.getAttribute('data-outcome')).toBe('exit')
      expect(await post.getByTestId('hook-run-exit-code').textContent()).toBe('5')
      expect(await post.getByTestId('hook-run-outcome').textContent()).toBe('Exited with code 5')
      expect(await post.getByTestId('hook-run-command').textContent()).toBe('echo "post says bye"; exit 5')
      expect(await post.getByTestId('hook-run-output').textContent()).toBe('post says bye\n')
      expect(await post.getByTestId('hook-run-truncated').count()).toBe(0)
      await session.screenshot('capture-hooks-runs')

      // A pre hook that fails stops the capture: said with the service and the exit code.
      await section.getByTestId('hook-1-command').fill('echo "no maintenance mode" >&2; exit 3')
      await section.getByTestId('hooks-save').click()
      await section.getByTestId('hooks-saved').waitFor({ state: 'visible' })
      await page.getByTestId('capture-now').click()
      await page.getByTestId('capture-mode-stop').check()
      await page.getByTestId('confirm-capture').click()
      const failure = page.getByTestId('capture-error')
      await failure.waitFor({ state: 'visible', timeout: 60_000 })
      expect(await failure.getByTestId('error-explanation').textContent()).toBe(
        'The pre-capture hook in app exited with code 3. Nothing was captured; the post-capture hooks ran.',
      )
      expect(value<SnapshotSummary[]>(await router.invoke('snapshots.list', { workloadId: w.id }))).toHaveLength(1)
      await session.screenshot('capture-hooks-pre-failed')

      // The same in Russian.
      await page.getByTestId('nav-settings').click()
      await page.getByTestId('language-select').selectOption('ru')
      await page.goto(`${base}#/workloads/local/${w.id}`)
      await expect.poll(() => section.locator('h3').textContent()).toBe('Хуки снимка')
      expect(await section.getByTestId('hook-add').textContent()).toBe('Добавить хук')
      expect(await section.getByTestId('hook-2-phase').locator('option:checked').textContent()).toBe(
        'После снимка (post)',
      )
      expect(await page.getByTestId(`snapshot-row-${snapshotId}`).getByTestId('hooks-badge').textContent()).toBe(
        'ошибка хука',
      )
      await session.screenshot('capture-hooks-ru')
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })

  it('offers a database dump preset, and marks a hook whose service the workload no longer has', async () => {
    importedImage('slipway-test/app:a', 'A')
    const instance = await startInstance({ dockerHost: env.dockerHost })
    const { router } = instance.slipway
    const service = (name: string, image: string, target: string) => ({
      name,
      image,
      command: null,
      env: [],
      ports: [],
      volumes: [
        { kind: 'volume' as const, source: `hookui-${name}`, target, readOnly: false, excludeFromSnapshots: false },
      ],
      restart: 'no' as const,
    })
    // Never deployed: the hooks are settings, nothing runs here.
    const w = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: 'hookpresets',
        snapshotBeforeDeploy: false,
        services: [
          service('db', env.postgresImage, '/var/lib/postgresql/data'),
          service('web', 'slipway-test/app:a', '/srv'),
        ],
      }),
    )
    const session = await openRenderer(instance)
    try {
      const { page } = session
      await page.goto(`${session.server.url.split('?')[0] ?? ''}#/workloads/local/${w.id}`)
      const section = page.getByTestId('capture-hooks')
      const presets = section.getByTestId('hook-presets')
      await presets.waitFor({ state: 'visible' })
      const button = presets.getByTestId('hook-preset-db-postgres-dumpall')
      expect(await button.textContent()).toBe('Add consistent dump for db (pg_dumpall)')
      expect(await presets.textContent()).toContain('/var/lib/postgresql/data/slipway-dump.sql')
      // Only the database gets one.
      expect(await presets.getByRole('button').count()).toBe(1)
      await button.click()
      expect(await section.getByTestId('hook-0-phase').inputValue()).toBe('pre')
      expect(await section.getByTestId('hook-0-service').inputValue()).toBe('db')
      expect(await section.getByTestId('hook-0-command').inputValue()).toContain('pg_dumpall')
      expect(await section.getByTestId('hook-0-timeout').inputValue()).toBe('1800')
      expect(await section.getByTestId('hook-1-phase').inputValue()).toBe('post')
      expect(await section.getByTestId('hook-1-command').inputValue()).toContain('rm -f')
      await section.getByTestId('hooks-continue-on-pre-failure').check()
      await section.getByTestId('hooks-save').click()
      await section.getByTestId('hooks-saved').waitFor({ state: 'visible' })
      const stored = value<CaptureHooks>(await router.invoke('snapshots.hooks', { workloadId: w.id }))
      expect(stored.continueOnPreFailure).toBe(true)
      expect(stored.hooks.map((h) => [h.phase, h.service])).toEqual([
        ['pre', 'db'],
        ['post', 'db'],
      ])
      await session.screenshot('capture-hooks-preset')

      // The database service renamed behind the form's back: main refuses the old name, and the row says so.
      value(
        await router.invoke('workloads.update', {
          workloadId: w.id,
          name: w.name,
          snapshotBeforeDeploy: w.snapshotBeforeDeploy,
          services: w.services.map((s) => (s.name === 'db' ? { ...s, name: 'pg' } : s)),
          networks: [...w.networks],
          volumes: [...w.volumes],
        }),
      )
      await page.reload()
      await section.getByTestId('hook-1').waitFor({ state: 'visible' })
      expect(await section.getByTestId('hook-0-service').locator('option:checked').textContent()).toBe(
        'db (not in this workload)',
      )
      await section.getByTestId('hook-0-timeout').fill('60')
      await section.getByTestId('hooks-save').click()
      const refused = section.getByTestId('hook-0-error-service')
      await refused.waitFor({ state: 'visible' })
      expect(await refused.textContent()).toBe('This workload has no service named “db”.')
      expect(await section.getByTestId('hook-1-error-service').count()).toBe(0)
    } finally {
      await session.close()
      await instance.close()
    }
  })
})
