import { describe, expect, it } from 'vitest'
import { KeyedLock } from '../../src/main/concurrency/keyedLock'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('KeyedLock', () => {
  it('runs one holder per key in arrival order, and different keys in parallel', async () => {
    const lock = new KeyedLock()
    const events: string[] = []
    const job = (key: string, name: string) =>
      lock.run(key, async () => {
        events.push(`${name}+`)
        await tick()
        events.push(`${name}-`)
      })
    await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1'), job('a', 'a3')])
    const a = events.filter((e) => e.startsWith('a'))
    expect(a).toEqual(['a1+', 'a1-', 'a2+', 'a2-', 'a3+', 'a3-'])
    expect(events.indexOf('b1+')).toBeLessThan(events.indexOf('a1-'))
    expect(lock.isBusy('a')).toBe(false)
  })

  it('tryRun refuses with BUSY while the key is held or queued, and works again after', async () => {
    const lock = new KeyedLock()
    let release!: () => void
    const held = lock.run('w', () => new Promise<void>((r) => (release = r)))
    await expect(lock.tryRun('w', async () => 1)).rejects.toMatchObject({ code: 'BUSY' })
    await expect(lock.tryRun('other', async () => 2)).resolves.toBe(2)
    release()
    await held
    await expect(lock.tryRun('w', async () => 3)).resolves.toBe(3)
  })

  it('releases the key when the holder throws', async () => {
    const lock = new KeyedLock()
    await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(lock.run('k', async () => 'next')).resolves.toBe('next')
  })
})
