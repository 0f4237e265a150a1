import type { Readable } from 'node:stream'
import type { LogLine } from '../../shared/types/workloads'
import type { EngineInspector, LogStreams } from '../docker/engine'
import type { Logger } from '../log'
import { currentByService, labelledContainers } from './dispatch/workloadContainers'

const MAX_LINE = 8 * 1024

/** Follows every current container's logs; the returned function stops all of it. */
export function followWorkloadLogs(
  engine: EngineInspector,
  workloadId: string,
  tail: number,
  emit: (line: LogLine) => void,
  log: Logger,
): () => void {
  const streams: LogStreams[] = []
  const state = { stopped: false }
  const isStopped = (): boolean => state.stopped
  const stop = (): void => {
    state.stopped = true
    for (const s of streams) s.close()
  }
  void (async () => {
    const current = currentByService(await labelledContainers(engine, workloadId))
    for (const c of current.values()) {
      if (isStopped()) return
      const logs = await engine.followLogs(c.id, tail)
      if (isStopped()) {
        logs.close()
        return
      }
      streams.push(logs)
      splitLines(logs.stdout, (text) => emit({ service: c.service, stream: 'stdout', text }))
      splitLines(logs.stderr, (text) => emit({ service: c.service, stream: 'stderr', text }))
    }
  })().catch((error: unknown) => log.warn('log follow failed', { workloadId, error }))
  return stop
}

function splitLines(stream: Readable, onLine: (text: string) => void): void {
  let pending = ''
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8')
    let newline = pending.indexOf('\n')
    while (newline >= 0) {
      onLine(pending.slice(0, newline).slice(0, MAX_LINE))
      pending = pending.slice(newline + 1)
      newline = pending.indexOf('\n')
    }
    if (pending.length > MAX_LINE) {
      onLine(pending.slice(0, MAX_LINE))
      pending = ''
    }
  })
  stream.on('end', () => {
    if (pending !== '') onLine(pending)
  })
}
