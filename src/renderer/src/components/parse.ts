/**
 * A form field's text as a whole number; NaN for anything else (blank, "1.5", "-1", "1e3"), so
 * the contract's schema rejects it with the field's own message instead of a silent coercion.
 */
export const wholeNumber = (text: string): number => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN)
