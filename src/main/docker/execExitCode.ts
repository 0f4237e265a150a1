import type Dockerode from 'dockerode'

/** How long a finished exec may take to report its exit code (a busy engine, just after a big sync). */
const EXIT_CODE_WAIT_MS = 30_000
const EXIT_CODE_POLL_MS = 10

/**
 * The exit code of an exec whose output has ended: the engine records it just after the
 * command's stdio closes. Null when the engine has not told it within the wait.
 */
export async function waitForExitCode(exec: Dockerode.Exec): Promise<number | null> {
  const deadline = Date.now() + EXIT_CODE_WAIT_MS
  for (;;) {
    const info = (await exec.inspect()) as { Running: boolean; ExitCode: number | null }
    if (!info.Running && info.ExitCode !== null) return info.ExitCode
    if (Date.now() > deadline) return null
    await new Promise((resolve) => setTimeout(resolve, EXIT_CODE_POLL_MS))
  }
}
