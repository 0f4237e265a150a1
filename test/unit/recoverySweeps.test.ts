import { describe, expect, it } from 'vitest'
import { silentLogger as log } from '../../src/main/log'
import { RecoverySweeps } from '../../src/main/recovery/recoverySweeps'

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('recovery sweeps', () => {
  it('retries a failed sweep while the host is connected, until one completes', async () => {
    let calls = 0
    const sweeps = new RecoverySweeps({
      sweep: async () => {
        calls += 1
        if (calls < 3) throw new Error('link lost mid-sweep')
      },
      isConnected: () => true,
      log,
      firstRetryMs: 10,
      maxRetryMs: 20,
    })
    await sweeps.trigger('h')
    await tick(150)
    expect(calls).toBe(3)
    await tick(50)
    expect(calls).toBe(3)
    await sweeps.close()
  })

  it('does not retry once the host is offline (its reconnect triggers the next sweep)', async () => {
    let calls = 0
    const sweeps = new RecoverySweeps({
      sweep: async () => {
        calls += 1
        throw new Error('unreachable')
      },
      isConnected: () => false,
      log,
      firstRetryMs: 5,
      maxRetryMs: 5,
    })
    await sweeps.trigger('h')
    await tick(50)
    expect(calls).toBe(1)
    await sweeps.close()
  })

  it('runs one sweep at a time per host, and once more when triggered during one', async () => {
    const gate = deferred()
    let running = 0
    let most = 0
    let calls = 0
    const sweeps = new RecoverySweeps({
      sweep: async (hostId) => {
        if (hostId !== 'a') return
        calls += 1
        running += 1
        most = Math.max(most, running)
        await gate.promise
        running -= 1
      },
      isConnected: () => true,
      log,
      firstRetryMs: 5,
      maxRetryMs: 5,
    })
    const first = sweeps.trigger('a')
    void sweeps.trigger('a')
    void sweeps.trigger('a')
    await sweeps.trigger('b')
    gate.resolve()
    await first
    expect(calls).toBe(2)
    expect(most).toBe(1)
    await sweeps.close()
  })

  it('close waits for the running sweep and stops further ones', async () => {
    const gate = deferred()
    let finished = false
    let calls = 0
    const sweeps = new RecoverySweeps({
      sweep: async () => {
        calls += 1
        await gate.promise
        finished = true
        throw new Error('fails, but the app is closing')
      },
      isConnected: () => true,
      log,
      firstRetryMs: 1,
      maxRetryMs: 1,
    })
    void sweeps.trigger('h')
    const closing = sweeps.close()
    gate.resolve()
    await closing
    expect(finished).toBe(true)
    await sweeps.trigger('h')
    await tick(20)
    expect(calls).toBe(1)
  })
})
