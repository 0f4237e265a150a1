import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type LogFields = Readonly<Record<string, unknown>>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

export interface LogRecord {
  readonly time: string
  readonly level: LogLevel
  readonly message: string
  readonly fields?: LogFields
}

function serializable(fields: LogFields | undefined): LogFields | undefined {
  if (fields === undefined) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack, cause: describeCause(value.cause) }
        : value
  }
  return out
}

function describeCause(cause: unknown): unknown {
  return cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : cause
}

export function createLogger(sink: (record: LogRecord) => void, minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }
  const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (order[level] < order[minLevel]) return
    const record: LogRecord = { time: new Date().toISOString(), level, message }
    const data = serializable(fields)
    sink(data === undefined ? record : { ...record, fields: data })
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

/** JSON lines appended to a file (and echoed to stderr when asked). */
export function fileLogSink(path: string, echo = false): (record: LogRecord) => void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  return (record) => {
    const line = JSON.stringify(record)
    try {
      appendFileSync(path, line + '\n', { mode: 0o600 })
    } catch {
      // Logging must never take the app down (a full disk, a removed data folder).
      process.stderr.write(line + '\n')
      return
    }
    if (echo) process.stderr.write(line + '\n')
  }
}

export const silentLogger: Logger = createLogger(() => undefined)
