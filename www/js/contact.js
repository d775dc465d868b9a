// www/js/contact.js — contact.html: the comment form (POST /api/v1/comments)
// on js/contact-form.js. Consent is asked for only when an address is given.

import { setupForm } from './contact-form.js';

setupForm({
  id: 'contact',
  endpoint: '/api/v1/comments',
  page: '/contact.html',
  fields: {
    name: { kind: 'text', max: 120 },
    email: { kind: 'email', max: 254 },
    topic: { kind: 'select', required: true },
    message: { kind: 'text', required: true, min: 10, max: 5000 },
    consent: { kind: 'check' },
  },
  consentNeeded: (v) => v.email !== '',
});
