// `npm start` will run the whole engine on the embedded stack (see README). Until the lifecycle and API
// issues land there is nothing to run, and pretending otherwise would mislead a newcomer.
console.error(
  'The engine cannot start yet: the decider (libs/domain) exists, but the workflows, the API and the ' +
    'embedded stack are still being built. See README.md, "Status".',
);
process.exit(1);
