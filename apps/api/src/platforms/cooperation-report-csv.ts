// The cooperation report as a spreadsheet: one row per figure with its German label, this period, the one before
// and the change. Made for German spreadsheets: UTF-8 with a byte order mark (so umlauts survive), semicolons
// between fields and a decimal comma, as Excel and LibreOffice expect them in a German locale; CRLF line ends.

import { stringify } from 'csv-stringify/sync';
import { CooperationReport, OFFENCE_CATEGORIES, OffenceCategory, SEVERITIES, Severity } from '@engine/domain';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BYTE_ORDER_MARK = '\uFEFF';

const CATEGORY_LABELS: Record<OffenceCategory, string> = {
  threat: 'Bedrohung (§ 241 StGB)',
  insult: 'Beleidigung (§ 185 StGB)',
  'public-incitement': 'Öffentliche Aufforderung zu Straftaten (§ 111 StGB)',
  'incitement-of-the-people': 'Volksverhetzung (§ 130 StGB)',
  'call-to-murder': 'Aufruf zur Tötung',
  other: 'Sonstige',
};
const SEVERITY_LABELS: Record<Severity, string> = { critical: 'kritisch', high: 'hoch (offensichtlich rechtswidrig)', standard: 'normal' };
const KIND_LABELS = { total: 'Ersuchen gesamt', deletion: 'Löschersuchen', subscriberData: 'Bestandsdatenersuchen' } as const;

const FIGURE_LABELS: Record<string, string> = {
  'requests.total': 'Ersuchen gesamt',
  'requests.deletion': 'Löschersuchen',
  'requests.subscriberData': 'Bestandsdatenersuchen',
  'answers.inTime': 'Antwort innerhalb der Frist',
  'answers.late': 'Antwort nach Fristablauf',
  'answers.never': 'Keine Antwort (Frist abgelaufen oder Fall geschlossen)',
  'answers.awaiting': 'Antwort ausstehend, Frist läuft',
  'deletion.sent': 'Löschersuchen gesendet',
  'deletion.removed': 'Inhalt entfernt',
  'deletion.partiallyRemoved': 'Inhalt teilweise entfernt',
  'deletion.refused': 'Löschung abgelehnt',
  'deletion.removalsContradicted': 'Gemeldete Entfernung widerlegt (weiterhin abrufbar)',
  'subscriberData.sent': 'Bestandsdatenersuchen gesendet',
  'subscriberData.supplied': 'Daten übermittelt',
  'subscriberData.refused': 'Datenauskunft abgelehnt',
  'timeToAnswer.count': 'Zeit bis zur Antwort: Anzahl',
  'timeToAnswer.medianSeconds': 'Zeit bis zur Antwort: Median (Sekunden)',
  'timeToAnswer.p90Seconds': 'Zeit bis zur Antwort: 90. Perzentil (Sekunden)',
  'timeToEffect.count': 'Zeit bis zur Wirkung: Anzahl',
  'timeToEffect.medianSeconds': 'Zeit bis zur Wirkung: Median (Sekunden)',
  'timeToEffect.p90Seconds': 'Zeit bis zur Wirkung: 90. Perzentil (Sekunden)',
  'ladder.reminder': 'Eskalation: Erinnerung erreicht',
  'ladder.highLevelContact': 'Eskalation: Kontakt auf Leitungsebene erreicht',
  'ladder.appStorePressure': 'Eskalation: App-Store-Druck erreicht',
  'ladder.exhausted': 'Eskalationsstufen ausgeschöpft, unbeantwortet',
  'ladder.escalatedByStaff': 'Von Hand eskaliert',
  'dossiers.filed': 'App-Store-Dossiers eingereicht',
  'dossiers.reportsFiled': 'Meldungen in diesen Dossiers',
};
for (const category of OFFENCE_CATEGORIES) for (const [kind, label] of Object.entries(KIND_LABELS)) FIGURE_LABELS[`byCategory.${category}.${kind}`] = `${CATEGORY_LABELS[category]}: ${label}`;
for (const severity of SEVERITIES) for (const [kind, label] of Object.entries(KIND_LABELS)) FIGURE_LABELS[`bySeverity.${severity}.${kind}`] = `Schweregrad ${SEVERITY_LABELS[severity]}: ${label}`;

/** The German label of a figure (the figure's path when it has none, so that a new figure is never left out). */
export function figureLabel(figure: string): string {
  return FIGURE_LABELS[figure] ?? figure;
}

/** The report as CSV text, byte order mark first. */
export function cooperationReportCsv(report: CooperationReport): string {
  const number = (value: number | null) => (value === null ? '' : String(value).replace('.', ','));
  const rows: string[][] = [
    ['platform', 'Plattform', report.platform, '', ''],
    ['period', 'Zeitraum', report.period.label, report.previousPeriod.label, ''],
    ['period.from', 'Beginn', report.period.from, report.previousPeriod.from, ''],
    ['period.to', 'Ende (ausschließlich)', report.period.to, report.previousPeriod.to, ''],
    ['asOf', 'Stand', report.asOf, '', ''],
    ...report.changes.map((change) => [change.figure, figureLabel(change.figure), number(change.current), number(change.previous), number(change.difference)]),
  ];
  return (
    BYTE_ORDER_MARK +
    stringify(rows, { header: true, columns: ['Kennzahl', 'Bezeichnung', 'Zeitraum', 'Vorzeitraum', 'Veränderung'], delimiter: ';', record_delimiter: 'windows' })
  );
}

/** A file name for the download: `kooperationsbericht-telegram-2026-11.csv`. */
export function cooperationReportFileName(report: CooperationReport): string {
  const period = /^[\w-]+$/.test(report.period.label) ? report.period.label : `${report.period.from.slice(0, 10)}_${report.period.to.slice(0, 10)}`;
  return `kooperationsbericht-${report.platform.replace(/[^\w.-]/g, '_')}-${period}.csv`;
}
