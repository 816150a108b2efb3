/** One CSV line as the exporting organisation writes it: quoted where needed, or always (StatLine style). */
export function csvLine(fields: readonly (string | number)[], delimiter: string, quoteAll = false): string {
  return fields
    .map((field) => {
      const text = String(field);
      const needsQuotes = quoteAll || text.includes(delimiter) || text.includes('"') || text.includes('\n');
      return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(delimiter);
}

/** A number with a decimal comma, as Dutch Excel writes it. */
export function decimalComma(value: number, digits: number): string {
  return value.toFixed(digits).replace('.', ',');
}
