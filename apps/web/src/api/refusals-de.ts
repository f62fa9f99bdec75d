// The API answers in English. A German user reads the gist of a refusal in German first (by the domain's reason
// code, else by HTTP status), followed by the API's own words, which name the specifics.

import type { ApiRequestError } from './client';

const BY_CODE: Record<string, string> = {
  'invalid-input': 'Die Eingabe ist ungültig.',
  'outcome-not-allowed': 'Dieses Ergebnis passt nicht zum Stand des Falls.',
  'invalid-policy': 'Die Richtlinie ist ungültig.',
  'response-does-not-fit-request': 'Diese Antwort passt nicht zum Ersuchen.',
  'policy-not-for-platform': 'Die Richtlinie gilt für eine andere Plattform.',
  'not-triaged': 'Die Meldung muss zuerst als handlungsbedürftig geprüft werden.',
  'deadline-not-reached': 'Die Frist ist noch nicht abgelaufen.',
  'version-mismatch': 'Jemand hat den Fall inzwischen geändert.',
  'step-mismatch': 'Das Ersuchen steht auf einer anderen Eskalationsstufe.',
  'response-already-recorded': 'Die Antwort der Plattform ist bereits erfasst.',
  'request-not-sent': 'Dieses Ersuchen wurde nicht gesendet.',
  'request-not-chosen-at-triage': 'Dieses Ersuchen wurde bei der Prüfung nicht gewählt: zuerst neu bewerten.',
  'request-already-running': 'Dieses Ersuchen wartet bereits auf die Antwort der Plattform.',
  'request-already-fulfilled': 'Die Plattform hat dieses Ersuchen bereits erfüllt.',
  'reason-required': 'Eine Ablehnung braucht die Begründung der Plattform.',
  'policy-version-not-newer': 'Der Fall folgt bereits dieser oder einer neueren Richtlinie.',
  'no-removal-to-verify': 'Es gibt keine gemeldete Entfernung zu prüfen.',
  'last-step-reached': 'Das Ersuchen steht bereits auf der letzten Eskalationsstufe.',
  'duplicate-of-itself': 'Eine Meldung kann kein Duplikat ihrer selbst sein.',
  'original-report-not-found': 'Die ursprüngliche Meldung gibt es nicht.',
  'clock-not-running': 'Dieses Ersuchen wartet nicht auf eine Antwort.',
  'case-paused': 'Der Fall ist pausiert: zuerst fortsetzen.',
  'case-not-paused': 'Der Fall ist nicht pausiert.',
  'case-not-closed': 'Der Fall ist nicht abgeschlossen.',
  'case-closed': 'Der Fall ist abgeschlossen: zuerst wieder öffnen.',
  'assessment-unchanged': 'Die neue Bewertung ändert nichts.',
  'already-triaged': 'Die Meldung wurde bereits geprüft.',
  'already-filed': 'Diese Meldung ist bereits erfasst.',
  'already-assigned': 'Der Fall ist bereits so zugewiesen.',
  'action-already-taken': 'Ein bereits gesendetes Ersuchen kann nicht zurückgenommen werden.',
  'unknown-platform': 'Diese Plattform ist nicht registriert.',
};

const BY_STATUS: Record<number, string> = {
  0: 'Die API ist nicht erreichbar.',
  400: 'Die Eingabe ist ungültig.',
  401: 'Die Anmeldung ist nicht (mehr) gültig.',
  403: 'Ihre Rolle erlaubt das nicht.',
  404: 'Nicht gefunden.',
  409: 'Dieser Schritt ist im jetzigen Stand nicht möglich.',
  412: 'Jemand hat den Fall inzwischen geändert.',
  413: 'Die Anfrage ist zu groß.',
  422: 'Die Anfrage kann so nicht ausgeführt werden.',
  429: 'Zu viele Anfragen: bitte kurz warten.',
  503: 'Der Dienst ist gerade nicht verfügbar.',
};

/** The German gist of an API error, or undefined when there is none to give. */
export function germanGist(error: ApiRequestError): string | undefined {
  return (error.code && BY_CODE[error.code]) || BY_STATUS[error.status] || (error.status >= 500 ? 'Fehler im Dienst.' : undefined);
}
