export function CasePage() {
  return <h1>Case</h1>;
}
