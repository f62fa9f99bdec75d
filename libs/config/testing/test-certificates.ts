// Throw-away certificates for tests of TLS connections: a CA, a server certificate it signs (for the names
// given) and a client certificate for mutual TLS, made with the openssl CLI into a directory the test owns.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// P-256 keys (PKCS#8, openssl 3's default): quick to make, and what Node, rustls (Temporal's core) and Java all read.
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A CA named `name` under `dir/name`, and the certificates it signs. The server certificate names only
 * `serverNames` (DNS names and IP addresses), so connecting by another name needs a server name override.
 */
export function createTestCertificates(dir: string, { name = 'test-ca', serverNames = ['localhost', '127.0.0.1'] } = {}): TestCertificates {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  openssl(home, [
    'req', '-x509', ...NEW_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const sign = (who: string, subject: string, extensions: string[]) => {
    writeFileSync(join(home, `${who}.ext`), extensions.join('\n') + '\n');
    openssl(home, ['req', ...NEW_KEY, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', subject]);
    openssl(home, ['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, '-days', '2', '-extfile', `${who}.ext`]);
  };
  const altNames = serverNames.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  sign('server', `/CN=${serverNames[0]}`, [`subjectAltName=${altNames}`, 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=serverAuth']);
  sign('client', '/CN=report-escalation-engine', ['basicConstraints=CA:FALSE', 'keyUsage=digitalSignature', 'extendedKeyUsage=clientAuth']);
  const at = (file: string) => join(home, file);
  return {
    dir: home,
    caCert: at('ca.crt'),
    caKey: at('ca.key'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
  };
}
