// The case file to download: for the prosecution (everything) or for the app stores (what they may see), as PDF
// or JSON. Fetched with the session's token (a link cannot carry it) and saved under the API's file name.

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { downloadCaseFile, type CaseFileFormat, type CaseFileRecipient } from './case-queries';

const CHOICES = [
  { recipient: 'prosecution', format: 'pdf', label: 'prosecutionPdf' },
  { recipient: 'app-store', format: 'pdf', label: 'appStorePdf' },
  { recipient: 'prosecution', format: 'json', label: 'prosecutionJson' },
  { recipient: 'app-store', format: 'json', label: 'appStoreJson' },
] as const satisfies readonly { recipient: CaseFileRecipient; format: CaseFileFormat; label: string }[];

type Choice = (typeof CHOICES)[number];

export function CaseFilePanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Choice | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const failureRef = useRef<HTMLDivElement>(null);

  async function download(choice: Choice) {
    // One download at a time; the buttons stay enabled (aria-disabled) so the focus stays where the user pressed.
    if (pending) return;
    setPending(choice);
    setSaved(null);
    setFailure(null);
    try {
      setSaved(await downloadCaseFile(id, choice.recipient, choice.format));
    } catch (error) {
      setFailure(error);
      requestAnimationFrame(() => failureRef.current?.focus());
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="panel" aria-labelledby="case-file-heading">
      <h2 id="case-file-heading">{t('case.caseFile.title')}</h2>
      <p className="muted">{t('case.caseFile.hint')}</p>
      <div className="action-buttons">
        {CHOICES.map((choice) => (
          <button key={choice.label} type="button" aria-busy={pending === choice} aria-disabled={pending !== null} onClick={() => void download(choice)}>
            {pending === choice ? t('case.caseFile.downloading') : t(`case.caseFile.${choice.label}`)}
          </button>
        ))}
      </div>
      <p role="status" className={saved ? 'success' : 'visually-hidden'}>
        {saved && t('case.caseFile.downloaded', { file: saved })}
      </p>
      <div ref={failureRef} tabIndex={-1}>
        <ErrorMessage error={failure} />
      </div>
    </section>
  );
}
