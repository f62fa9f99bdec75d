// The case file as a PDF: a thin rendering of the domain's document model with pdfkit, in DejaVu Sans (embedded,
// subset): reported content is often Cyrillic, Arabic, Greek…, which the standard PDF fonts (WinAnsi) cannot
// print. A character DejaVu has no glyph for (most emoji) prints as U+FFFD "�"; the JSON form keeps every character.

import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { CaseFileDocument } from '@engine/domain';

export interface PdfOptions {
  /** Uncompressed streams: readable text in the bytes (tests). */
  compress?: boolean;
}

const TITLE: Record<CaseFileDocument['recipient'], string> = {
  prosecution: 'Fallakte für die Strafverfolgung / Case file for the prosecution',
  'app-store': 'Fallakte für die App-Stores / Case file for the app stores',
};

/** The font files, resolved through the package (from the sources, from dist and in the Docker image alike), read once. */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function dejaVuSans(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

export function renderCaseFilePdf(file: CaseFileDocument, options: PdfOptions = {}): Promise<Buffer> {
  const { regular, bold } = dejaVuSans();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: options.compress ?? true,
    // The default would be Helvetica; starting with DejaVu keeps the standard font out of the file.
    font: regular as unknown as string,
    info: { Title: `Case file ${file.reportId}`, Subject: TITLE[file.recipient], Creator: 'report-escalation-engine' },
  });
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  const printable = printableIn(doc.font(REGULAR));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => doc.moveDown(0.8).font(BOLD).fontSize(12).text(printable(text)).moveDown(0.2).font(REGULAR).fontSize(9.5);
  const line = (label: string, value: string | number | undefined) => {
    if (value === undefined || value === '') return;
    doc.font(BOLD).text(`${printable(label)}: `, { continued: true }).font(REGULAR).text(printable(String(value)));
  };

  doc.font(BOLD).fontSize(15).text(printable(TITLE[file.recipient]));
  doc.font(REGULAR).fontSize(9.5).moveDown(0.3);
  line('Report', file.reportId);
  line('Status', `${file.status} (version ${file.version})`);
  line('Generated', file.generatedAt);
  if (file.withheld.length > 0) line('Left out for this recipient', file.withheld.join('; '));

  heading('Content');
  line('Platform', file.report.platform);
  for (const location of file.report.contentLocations) {
    line('Location', [location.url, location.channel && `channel ${location.channel}`, location.messageIds?.length && `messages ${location.messageIds.join(', ')}`].filter(Boolean).join(' — '));
  }
  line('Excerpt', file.report.excerpt);
  line('Evidence hash', file.report.evidenceHash);
  line('Seen', file.report.seenAt);
  line('Filed', file.report.filedAt);
  line('Reporting channel', file.report.channel);
  line('Reporter reference (confidential)', file.report.reporterReference);

  heading('Triage');
  if (!file.triage) doc.text('Not triaged.');
  else {
    line('Offence', `${file.triage.category}: ${file.triage.legalProvision}`);
    line('Severity', file.triage.severity);
    line('Triaged', file.triage.triagedAt);
    if (file.triage.actions) {
      const { deletionRequest, subscriberDataRequest, referToProsecution } = file.triage.actions;
      line('Planned', [deletionRequest && 'deletion request', subscriberDataRequest && 'subscriber-data request', referToProsecution && 'referral to prosecution'].filter(Boolean).join(', ') || 'no action');
    }
  }

  heading('Requests and answers');
  if (file.requests.length === 0) doc.text('No request sent.');
  for (const request of file.requests) {
    doc.font(BOLD).text(printable(`${request.request === 'deletion' ? 'Deletion request' : 'Subscriber-data request'} sent ${request.sentAt}, due ${request.deadline}`)).font(REGULAR);
    for (const escalation of request.escalations) {
      doc.text(printable(`  ${escalation.at}: escalated from ${escalation.from} to ${escalation.to}, due ${escalation.deadline}${escalation.trigger ? ` (${escalation.trigger === 'staff' ? 'by hand' : 'deadline passed'})` : ''}${escalation.reason ? `: ${escalation.reason}` : ''}`));
    }
    if (request.answer) {
      const { recordedAt, response, atStep, reason, receivedAt, effectGivenAt } = request.answer;
      const times = [receivedAt && `arrived ${receivedAt}`, effectGivenAt && `effect given ${effectGivenAt}`].filter(Boolean).join(', ');
      doc.text(printable(`  ${recordedAt}: answered "${response}" at the ${atStep}${times ? ` (${times})` : ''}${reason ? `: ${reason}` : ''}`));
    }
    else doc.text('  No answer recorded.');
    for (const check of request.removalChecks) doc.text(printable(`  ${check.at}: removal checked: ${check.result}`));
  }
  if (file.closure) line('Closed', `${file.closure.at}: ${file.closure.outcome}${file.closure.note ? ` (${file.closure.note})` : ''}`);

  if (file.notes) {
    heading('Staff notes (confidential)');
    if (file.notes.length === 0) doc.text('None.');
    for (const note of file.notes) doc.text(printable(`${note.at} ${note.author}: ${note.text}`));
    line('Assignee', file.assignee);
  }

  heading('Messages sent to the platform');
  if (file.messages.length === 0) doc.text('None.');
  for (const message of file.messages) {
    doc.text(printable(`${message.firstAttemptAt} to ${message.recipient}${message.channel ? ` (${message.channel})` : ''}, ${message.status} after ${message.attempts} attempt(s): ${message.subject}`));
  }

  heading('Timeline');
  for (const entry of file.timeline) {
    const what = entry.summary ?? `${entry.type} ${JSON.stringify(entry.data ?? {})}`;
    doc.text(printable(`${entry.streamVersion !== undefined ? `#${entry.streamVersion} ` : ''}${entry.at}${entry.actor ? ` ${entry.actor}` : ''}: ${what}`));
  }

  heading('Integrity of the stored history');
  doc.text(
    printable(
      file.integrity.verified
        ? `The hash chain over all ${file.integrity.events} stored events verifies: none was changed, removed or reordered.`
        : `The hash chain does NOT verify: it breaks at version ${file.integrity.brokenAtVersion} (${file.integrity.reason}).`,
    ),
  );

  doc.end();
  return done;
}

/** Zero-width spaces and joiners, invisible operators, variation selectors. */
const INVISIBLE: ReadonlyArray<readonly [number, number]> = [
  [0x200b, 0x200f],
  [0x2060, 0x2064],
  [0xfe00, 0xfe0f],
  [0xe0100, 0xe01ef],
];
const invisible = (codePoint: number) => INVISIBLE.some(([first, last]) => codePoint >= first && codePoint <= last);

/** pdfkit's current font, as far as needed here: the fontkit font it embeds. */
interface WithFontkitFont {
  _font?: { font?: { hasGlyphForCodePoint?(codePoint: number): boolean } };
}

/**
 * Text as the font can print it: a character DejaVu Sans has no glyph for becomes U+FFFD, so the page shows "�"
 * rather than an empty box, and copied text does not pretend to be another character. The regular font decides: bold
 * prints only the file's own labels, dates and names of steps. Control characters other than the line break go too.
 */
function printableIn(doc: PDFKit.PDFDocument): (text: string) => string {
  const font = (doc as unknown as WithFontkitFont)._font?.font;
  const covered = (codePoint: number) => font?.hasGlyphForCodePoint?.(codePoint) ?? true;
  return (text) =>
    Array.from(text, (character) => {
      const codePoint = character.codePointAt(0)!;
      if (character === '\n') return character;
      if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return '\ufffd';
      if (covered(codePoint)) return character;
      // Invisible joiners and variation selectors (as in emoji sequences) shape other characters: left out.
      return invisible(codePoint) ? '' : '\ufffd';
    }).join('');
}
