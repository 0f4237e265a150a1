import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testEnv } from './testEnv'

export function docker(...args: string[]): string {
  return execFileSync('docker', ['-H', testEnv().dockerHost, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

/** Force-removes the containers of one workload, or of every Slipway workload (test clean-up). */
export function removeWorkloadContainers(workloadId?: string): void {
  const label = workloadId === undefined ? 'label=io.slipway.workload' : `label=io.slipway.workload=${workloadId}`
  for (const id of docker('ps', '-aq', '--filter', label).split('\n').filter(Boolean)) docker('rm', '-f', id)
}

/**
 * A test image made with `docker import` (nothing is ever pulled): the busybox rootfs plus a
 * /version file, so two tags have different content and different ids.
 */
export function importedImage(tag: string, version: string): string {
  try {
    return docker('image', 'inspect', '--format', '{{.Id}}', tag)
  } catch {
    // not built yet
  }
  const dir = mkdtempSync(join(tmpdir(), 'slipway-image-'))
  try {
    const container = docker('create', testEnv().image, 'true')
    docker('export', '-o', join(dir, 'rootfs.tar'), container)
    docker('rm', container)
    writeFileSync(join(dir, 'version'), `${version}\n`)
    execFileSync('tar', ['-rf', join(dir, 'rootfs.tar'), '-C', dir, 'version'])
    // PID 1 must act on SIGTERM, or every stop waits out Docker's 10 s grace period.
    docker(
      'import',
      '-c',
      `CMD ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`,
      join(dir, 'rootfs.tar'),
      tag,
    )
    return docker('image', 'inspect', '--format', '{{.Id}}', tag)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Creates a named volume and fills it by running `script` (busybox sh) with the volume at /d. */
export function populatedVolume(name: string, script: string): string {
  docker('volume', 'create', name)
  docker('run', '--rm', '--network', 'none', '-v', `${name}:/d`, testEnv().image, 'sh', '-c', script)
  return name
}

/** The helper containers one Slipway installation (a data dir) has on the test engine. */
export function helperContainersOf(installation: string): string[] {
  return docker('ps', '-aq', '--filter', `label=io.slipway.helper=${installation}`).split('\n').filter(Boolean)
}

/**
 * The test app image with a healthcheck baked in (as an image's HEALTHCHECK is): healthy while
 * /data/healthy exists, judged every second, unhealthy after two misses. Made with `docker commit`
 * of a container created with the health options (import cannot set them).
 */
export function healthcheckedImage(tag = 'slipway-test/app:healthcheck'): string {
  try {
    return docker('image', 'inspect', '--format', '{{.Id}}', tag)
  } catch {
    // not built yet
  }
  importedImage('slipway-test/app:a', 'A')
  const container = docker(
    'create',
    '--health-cmd',
    'test -f /data/healthy',
    '--health-interval',
    '1s',
    '--health-timeout',
    '1s',
    '--health-retries',
    '2',
    '--network',
    'none',
    'slipway-test/app:a',
  )
  docker('commit', container, tag)
  docker('rm', container)
  return docker('image', 'inspect', '--format', '{{.Id}}', tag)
}
