import type { Migration } from '../migrate'
import { initial } from './001_initial'
import { sshHosts } from './002_ssh_hosts'
import { workloads } from './003_workloads'
import { snapshots } from './004_snapshots'
import { restores } from './005_restores'
import { metrics } from './006_metrics'
import { dispatchCommit } from './007_dispatch_commit'
import { consistentCapture } from './008_consistent_capture'
import { serviceSpecs } from './009_service_specs'
import { deployConfig } from './010_deploy_config'
import { snapshotStores } from './011_snapshot_stores'
import { captureHooks } from './012_capture_hooks'

export const migrations: readonly Migration[] = [
  initial,
  sshHosts,
  workloads,
  snapshots,
  restores,
  metrics,
  dispatchCommit,
  consistentCapture,
  serviceSpecs,
  deployConfig,
  snapshotStores,
  captureHooks,
]
