// www/js/consultants.js — consultants.html: registration in the consultant
// roster (POST /api/v1/consultants, double opt-in) on js/contact-form.js:
// expertise (1 to 8) and languages as groups of checkboxes.

import { setupForm } from './contact-form.js';

setupForm({
  id: 'consultants',
  endpoint: '/api/v1/consultants',
  page: '/consultants.html',
  countries: true,
  fields: {
    name: { kind: 'text', required: true, max: 120 },
    email: { kind: 'email', required: true, max: 254 },
    country: { kind: 'select' },
    organisation: { kind: 'text', max: 160 },
    expertise: { kind: 'list', required: true, maxItems: 8 },
    languages: { kind: 'list', maxItems: 4 },
    profile_url: { kind: 'url', max: 500 },
    bio: { kind: 'text', required: true, min: 50, max: 3000 },
    consent: { kind: 'check' },
  },
});
