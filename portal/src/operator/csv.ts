// Reading an import file in the browser: decoded (UTF-8, or GB18030 as Excel on Chinese Windows saves it), split
// into chunks of at most CHUNK_ROWS data rows, each with the header line and the file line of its first row.
export const CHUNK_ROWS = 1000
const CHUNK_CHARS = 600_000 // a chunk stays well under the API's 2 MB, whatever the characters' UTF-8 length

export type Encoding = 'auto' | 'utf-8' | 'gb18030'

/** The text, and the encoding it was read in (auto: UTF-8 if the bytes are valid UTF-8, else GB18030). */
export function decode(bytes: ArrayBuffer, encoding: Encoding): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (encoding !== 'gb18030') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
    } catch (e) {
      if (encoding === 'utf-8') throw e
    }
  }
  return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' }
}

interface Row { text: string; line: number }

/** The file's records (a quoted field may hold line breaks), each with the line it starts on; blank lines dropped. */
function records(text: string): Row[] {
  const rows: Row[] = []
  let start = 0, line = 1, startLine = 1, quoted = false
  for (let i = 0; i <= text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if ((c === '\n' && !quoted) || i === text.length) {
      const record = text.slice(start, i).replace(/\r$/, '')
      if (record.trim()) rows.push({ text: record, line: startLine })
      start = i + 1
      startLine = line + 1
    }
    if (c === '\n') line++
  }
  return rows
}

export interface Chunk { csv: string; firstLine: number; rows: number }

export function chunks(text: string): { header: string; chunks: Chunk[]; rows: number } {
  const [header, ...data] = records(text)
  if (!header) return { header: '', chunks: [], rows: 0 }
  const out: Chunk[] = []
  let current: Row[] = [], size = 0
  const flush = () => {
    if (current.length) out.push({ csv: [header.text, ...current.map((r) => r.text)].join('\n') + '\n', firstLine: current[0].line, rows: current.length })
    current = []
    size = 0
  }
  for (const row of data) {
    if (current.length >= CHUNK_ROWS || size + row.text.length > CHUNK_CHARS) flush()
    current.push(row)
    size += row.text.length + 1
  }
  flush()
  return { header: header.text, chunks: out, rows: data.length }
}

function quoted(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** The rejected rows as a CSV file Excel opens (UTF-8 with BOM). */
export function rejectsCsv(heading: [string, string], rejected: { line: number; reason: string }[]): Blob {
  const lines = [heading.map(quoted).join(','), ...rejected.map((r) => `${r.line},${quoted(r.reason)}`)]
  return new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' })
}
