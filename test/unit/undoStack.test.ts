import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { UndoStack } from '../../src/main/phases/undoStack'

describe('the undo stack', () => {
  it('runs the undos newest first, once, and is empty afterwards', async () => {
    const ran: string[] = []
    const undo = new UndoStack(silentLogger)
    for (const name of ['a', 'b', 'c']) undo.push(name, async () => void ran.push(name))
    expect(undo.pending).toEqual(['a', 'b', 'c'])
    expect(await undo.unwind()).toEqual({ complete: true, ran: ['c', 'b', 'a'], failed: [] })
    expect(ran).toEqual(['c', 'b', 'a'])
    expect(await undo.unwind()).toEqual({ complete: true, ran: [], failed: [] })
  })

  it('a failing undo does not stop the older ones, but the unwind is not complete', async () => {
    const ran: string[] = []
    const undo = new UndoStack(silentLogger)
    undo.push('a', async () => void ran.push('a'))
    undo.push('b', async () => {
      throw new Error('engine gone')
    })
    undo.push('c', async () => void ran.push('c'))
    expect(await undo.unwind()).toEqual({ complete: false, ran: ['c', 'a'], failed: ['b'] })
    expect(ran).toEqual(['c', 'a'])
  })

  it('a failing critical undo stops there: the older ones depend on it and are left for the recovery sweep', async () => {
    const ran: string[] = []
    const undo = new UndoStack(silentLogger)
    undo.push('start the app', async () => void ran.push('start'))
    undo.push('remove staging', async () => void ran.push('rm'))
    undo.push('put back volume 0', async () => void ran.push('unswap 0'), { critical: true })
    undo.push(
      'put back volume 1',
      async () => {
        throw new Error('rename failed')
      },
      { critical: true },
    )
    expect(await undo.unwind()).toEqual({
      complete: false,
      ran: [],
      failed: ['put back volume 1', 'put back volume 0', 'remove staging', 'start the app'],
    })
    expect(ran).toEqual([])
  })

  it('after commit nothing is undone', async () => {
    const ran: string[] = []
    const undo = new UndoStack(silentLogger)
    undo.push('a', async () => void ran.push('a'))
    undo.commit()
    expect(await undo.unwind()).toEqual({ complete: true, ran: [], failed: [] })
    expect(ran).toEqual([])
  })
})
