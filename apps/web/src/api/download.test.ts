import { describe, expect, it } from 'vitest';
import { fileNameFromContentDisposition } from './download';

describe('the file name of a Content-Disposition header', () => {
  const fallback = 'case-file.json';

  it('reads a quoted, a bare and an encoded name, the encoded one first', () => {
    expect(fileNameFromContentDisposition('attachment; filename="case-file-R-1-prosecution.pdf"', fallback)).toBe('case-file-R-1-prosecution.pdf');
    expect(fileNameFromContentDisposition('attachment; filename=case-file-R-1.pdf; size=12', fallback)).toBe('case-file-R-1.pdf');
    expect(fileNameFromContentDisposition(`attachment; filename="Fallakte.pdf"; filename*=UTF-8''Fallakte%20M%C3%BCller.pdf`, fallback)).toBe('Fallakte Müller.pdf');
    expect(fileNameFromContentDisposition('attachment; filename="say \\"hi\\".pdf"', fallback)).toBe('say "hi".pdf');
  });

  it('falls back when there is no header or no name, or the encoded name is broken', () => {
    expect(fileNameFromContentDisposition(null, fallback)).toBe(fallback);
    expect(fileNameFromContentDisposition('attachment', fallback)).toBe(fallback);
    expect(fileNameFromContentDisposition('attachment; filename=""', fallback)).toBe(fallback);
    expect(fileNameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="plain.pdf"`, fallback)).toBe('plain.pdf');
  });

  it('keeps only the last part of a path, never a way out of the downloads folder', () => {
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"', fallback)).toBe('passwd');
    expect(fileNameFromContentDisposition('attachment; filename="C:\\\\temp\\\\x.pdf"', fallback)).toBe('x.pdf');
    expect(fileNameFromContentDisposition('attachment; filename=".."', fallback)).toBe(fallback);
  });
});
