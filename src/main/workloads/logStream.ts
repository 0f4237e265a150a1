import type Dockerode from 'dockerode'
import { PassThrough } from 'node:stream'
import type { LogLine } from '../../shared/types/workloads'
import type { Logger } from '../log'
import { currentByService, labelledContainers } from './dispatch/workloadContainers'

const MAX_LINE = 8 * 1024

/** Follows every current container's logs; the returned function stops all of it. */
export function followWorkloadLogs(
  docker: Dockerode,
  workloadId: string,
  tail: number,
  emit: (line: LogLine) => void,
  log: Logger,
): () => void {
  const streams: NodeJS.ReadableStream[] = []
  const state = { stopped: false }
  const isStopped = (): boolean => state.stopped
  const stop = (): void => {
    state.stopped = true
    for (const s of streams) (s as unknown as { destroy?: () => void }).destroy?.()
  }
  void (async () => {
    const current = currentByService(await labelledContainers(docker, workloadId))
    for (const c of current.values()) {
      if (isStopped()) return
      const container = docker.getContainer(c.id)
      const tty = (await container.inspect()).Config.Tty
      const raw = await container.logs({ follow: true, stdout: true, stderr: true, tail })
      if (isStopped()) {
        ;(raw as unknown as { destroy?: () => void }).destroy?.()
        return
      }
      streams.push(raw)
      const out = lineSplitter((text) => emit({ service: c.service, stream: 'stdout', text }))
      const err = lineSplitter((text) => emit({ service: c.service, stream: 'stderr', text }))
      if (tty) raw.pipe(out)
      else docker.modem.demuxStream(raw, out, err)
      raw.on('end', () => {
        out.end()
        err.end()
      })
    }
  })().catch((error: unknown) => log.warn('log follow failed', { workloadId, error }))
  return stop
}

function lineSplitter(onLine: (text: string) => void): PassThrough {
  const stream = new PassThrough()
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
  return stream
}
