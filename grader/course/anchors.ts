// Lesson anchors: the anchor a Markdown heading gets, as GitHub (and the lesson command) makes it.
/** Lower case, punctuation dropped, spaces as hyphens: `A.1 Percentiles` → `a1-percentiles`. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

