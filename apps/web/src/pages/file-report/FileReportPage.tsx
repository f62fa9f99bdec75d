export function FileReportPage() {
  return <h1>File a report</h1>;
}
