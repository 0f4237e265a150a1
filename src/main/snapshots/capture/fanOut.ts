import { once } from 'node:events'
import { PassThrough } from 'node:stream'

/**
 * Feeds one stream to several consumers at the pace of the slowest, so a capture reads each
 * volume once whatever number of places it goes to. The first consumer to fail stops them all.
 */
export async function fanOut<T>(
  source: AsyncIterable<Buffer>,
  consumers: readonly ((stream: AsyncIterable<Buffer>) => Promise<T>)[],
): Promise<T[]> {
  const pipes = consumers.map(() => {
    const pipe = new PassThrough({ highWaterMark: 4 << 20 })
    // fanOut reports the failure itself; a consumer not yet reading (still opening its place) must
    // not turn the pipe's destruction into an uncaught 'error' event.
    pipe.on('error', () => undefined)
    return pipe
  })
  let failure: { error: unknown } | null = null
  let onFailure: () => void = () => undefined
  const failed = new Promise<void>((resolve) => (onFailure = resolve))
  const hasFailed = (): boolean => failure !== null
  const fail = (error: unknown): void => {
    if (hasFailed()) return
    failure = { error }
    for (const pipe of pipes) pipe.destroy(error instanceof Error ? error : new Error(String(error)))
    onFailure()
  }
  const running = consumers.map((consume, i) =>
    consume(pipes[i] as PassThrough).catch((error: unknown) => {
      fail(error)
      throw error
    }),
  )
  try {
    for await (const chunk of source) {
      if (hasFailed()) break
      const full = pipes.filter((pipe) => !pipe.write(chunk))
      if (full.length > 0) await Promise.race([Promise.all(full.map((p) => once(p, 'drain'))), failed])
    }
    if (!hasFailed()) for (const pipe of pipes) pipe.end()
  } catch (error) {
    fail(error)
  }
  const settled = await Promise.allSettled(running)
  const stopped = failure as { error: unknown } | null
  if (stopped !== null) throw stopped.error
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value)
}
