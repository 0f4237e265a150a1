import type { TFunction } from 'i18next'
import { formatNumber, formatPercent } from '../../components/format'

/** CPU in percent of one CPU: "0.4 %", "37 %", "180 %" (two CPUs nearly busy). */
export function formatCpu(language: string, percent: number, digits = percent < 10 ? 1 : 0): string {
  return formatPercent(language, percent / 100, digits)
}

/** "512 MiB": the chart's unit, binary like `docker stats`. */
export function formatMebibytes(t: TFunction, language: string, mib: number, digits = mib < 100 ? 1 : 0): string {
  return t('metrics.mebibytes', { value: formatNumber(language, mib, digits) })
}

/** Enough decimals to tell axis ticks apart: none for steps of 1 or more, up to two below that. */
export function tickDigits(increment: number): number {
  return increment >= 1 ? 0 : Math.min(2, Math.ceil(-Math.log10(increment)))
}
