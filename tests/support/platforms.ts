// Registers the platforms a test files reports on, as an admin does over HTTP (POST /api/platforms): a report on
// a platform nobody registered is refused. A platform registered already (409) is fine: a restarted engine keeps it.

interface Posting {
  post(path: string, body: unknown, token: string): Promise<{ status: number; body?: unknown; text?: string }>;
}

export async function registerPlatforms(api: Posting, adminToken: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const answer = await api.post('/api/platforms', { name }, adminToken);
    if (answer.status !== 201 && answer.status !== 409) {
      throw new Error(`registering the platform ${name} answered ${answer.status}: ${answer.text ?? JSON.stringify(answer.body)}`);
    }
  }
}
