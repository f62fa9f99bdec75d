// Texts of OpenID Connect sign-in (namespace `oidc`): German has every key English has (the type says so).

const en = {
  signIn: 'Sign in at {{issuer}}',
  completing: 'Completing the sign-in…',
  unreachable: 'The sign-in service {{issuer}} cannot be reached: {{reason}}',
  notConfigured: 'This engine does not sign in with OpenID Connect.',
  backToSignIn: 'Back to sign-in',
};

const de: typeof en = {
  signIn: 'Bei {{issuer}} anmelden',
  completing: 'Die Anmeldung wird abgeschlossen…',
  unreachable: 'Der Anmeldedienst {{issuer}} ist nicht erreichbar: {{reason}}',
  notConfigured: 'Diese Instanz meldet nicht mit OpenID Connect an.',
  backToSignIn: 'Zurück zur Anmeldung',
};

export const oidcTexts = { en, de };
