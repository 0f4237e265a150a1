import { describe, expect, it } from 'vitest'
import type { Settings } from '../../src/shared/types/app'
import type { WorkloadDetail } from '../../src/shared/types/workloads'
import { openRenderer } from '../helpers/browser'
import { importedImage, removeWorkloadContainers } from '../helpers/images'
import { startInstance } from '../helpers/slipwayInstance'
import { testEnv } from '../helpers/testEnv'
import { deployedWorkload, value } from '../helpers/workloadFixtures'

const env = testEnv()

const MINUTE = 60_000
const MIB = 1024 * 1024
const TICK_MS = 15_000
const CONTAINERS = ['c-web', 'c-db'] as const

interface Sample {
  readonly workloadId: string
  readonly containerId: string
  readonly at: number
  readonly cpuPercent: number | null
  readonly memoryBytes: number
}

const tick = (workloadId: string, at: number, first = false): Sample[] =>
  CONTAINERS.map((containerId, index) => ({
    workloadId,
    containerId,
    at,
    // A container's first sample has no CPU figure: the rate needs two readings.
    cpuPercent: first ? null : 20 + 10 * index + 15 * Math.sin(at / (5 * MINUTE) + index),
    memoryBytes: Math.round((64 + 32 * index + 8 * Math.sin(at / (7 * MINUTE))) * MIB),
  }))

/** Two containers every 15 s over the last 50 minutes, with nothing between 40 and 35 minutes ago. */
function history(workloadId: string, now: number): Sample[] {
  const start = Math.floor((now - 50 * MINUTE) / TICK_MS) * TICK_MS
  const samples: Sample[] = []
  for (let at = start; at <= now; at += TICK_MS) {
    if (at > now - 40 * MINUTE && at < now - 35 * MINUTE) continue
    samples.push(...tick(workloadId, at, at === start))
  }
  return samples
}

describe('workload metrics in the UI', () => {
  it('charts recorded CPU and memory per window, shows current figures and saves the interval', async () => {
    importedImage('slipway-test/app:a', 'A')
    // Only the seeded history: the live sampler would add real (idle) figures at its own pace.
    const instance = await startInstance({ dockerHost: env.dockerHost, tuning: { metricsSampling: false } })
    const { router } = instance.slipway
    const w = await deployedWorkload(instance, 'local', 'uimetrics', [])
    const idle = value<WorkloadDetail>(
      await router.invoke('workloads.create', {
        hostId: 'local',
        name: 'uimetricsidle',
        snapshotBeforeDeploy: false,
        services: [
          { name: 'app', image: 'slipway-test/app:a', command: null, env: [], ports: [], volumes: [], restart: 'no' },
        ],
      }),
    )
    instance.slipway.metrics.record(history(w.id, Date.now()))
    const session = await openRenderer(instance)
    try {
      const { page } = session
      const base = session.server.url.split('?')[0] ?? ''
      await page.goto(`${base}#/workloads/local/${w.id}`)

      const panel = page.getByTestId('metrics-panel')
      await panel.waitFor({ state: 'visible' })
      expect(await page.getByTestId('metrics-window-1h').getAttribute('aria-pressed')).toBe('true')
      expect(await page.getByTestId('metrics-window-24h').getAttribute('aria-pressed')).toBe('false')
      const cpu = page.getByTestId('metrics-chart-cpu')
      const memory = page.getByTestId('metrics-chart-memory')
      const points = async (chart: typeof cpu): Promise<number> => Number(await chart.getAttribute('data-points'))
      await expect.poll(() => points(cpu), { timeout: 10_000 }).toBeGreaterThan(0)
      expect(await points(memory)).toBe(await points(cpu))
      // The five minutes without samples break the lines instead of joining across.
      expect(Number(await cpu.getAttribute('data-gaps'))).toBeGreaterThan(0)
      const canvasWidth = (chart: typeof cpu): Promise<number> =>
        chart
          .locator('canvas')
          .first()
          .evaluate((canvas) => (canvas as HTMLCanvasElement).width)
      expect(await canvasWidth(cpu)).toBeGreaterThan(0)
      expect(await canvasWidth(memory)).toBeGreaterThan(0)

      // Hovering the middle of one chart (30 minutes ago, within the samples) fills both legends.
      await cpu.locator('.u-over').hover()
      await expect.poll(() => cpu.locator('.u-legend .u-value').nth(1).textContent()).toMatch(/\d.*%/)
      await expect.poll(() => memory.locator('.u-legend .u-value').nth(1).textContent()).toMatch(/\d.*MiB/)
      await session.screenshot('metrics')

      for (const chosen of ['24h', '7d', '6h'] as const) {
        await page.getByTestId(`metrics-window-${chosen}`).click()
        expect(await page.getByTestId(`metrics-window-${chosen}`).getAttribute('aria-pressed')).toBe('true')
        await expect.poll(() => panel.getAttribute('data-window')).toBe(chosen)
        await expect.poll(() => points(cpu)).toBeGreaterThan(0)
        expect(await canvasWidth(cpu)).toBeGreaterThan(0)
      }
      expect(await page.getByTestId('metrics-window-1h').getAttribute('aria-pressed')).toBe('false')

      // The chart is rebuilt in the dark palette when the system switches.
      await page.emulateMedia({ colorScheme: 'dark' })
      await expect.poll(() => canvasWidth(cpu)).toBeGreaterThan(0)
      await session.screenshot('metrics-dark')
      await page.emulateMedia({ colorScheme: 'light' })

      await page.goto(`${base}#/workloads/local/${idle.id}`)
      await page.getByTestId('metrics-empty').waitFor({ state: 'visible' })
      expect(await page.getByTestId('metrics-chart-cpu').count()).toBe(0)

      // The list shows only recent samples: record a fresh tick right before looking.
      instance.slipway.metrics.record(tick(w.id, Date.now()))
      await page.goto(`${base}#/workloads/local`)
      await expect
        .poll(() => page.getByTestId(`workload-metrics-${w.id}`).textContent(), { timeout: 10_000 })
        .toMatch(/%.*·.*\d/)
      expect(await page.getByTestId(`workload-metrics-${idle.id}`).textContent()).toBe('—')
      await session.screenshot('metrics-workloads-list')

      await page.goto(`${base}#/settings`)
      const interval = page.getByTestId('metrics-interval-input')
      await expect.poll(() => interval.inputValue()).toBe('15')
      await interval.fill('2')
      await interval.press('Enter')
      await page.getByTestId('field-error-metricsIntervalSeconds').waitFor({ state: 'visible' })
      await interval.fill('30')
      await interval.press('Enter')
      await page.getByTestId('metrics-interval-input-saved').waitFor({ state: 'visible' })
      expect(value<Settings>(await router.invoke('settings.get', {})).metricsIntervalSeconds).toBe(30)
    } finally {
      await session.close()
      removeWorkloadContainers(w.id)
      await instance.close()
    }
  })
})
