import type { ListsWording } from '../../mail/lists.js';

export default {
  newsletter: { viewInBrowser: 'View in browser: {url}', unsubscribe: 'Unsubscribe: {url}', unsubscribeLabel: 'Unsubscribe', readMore: 'Read more' },
  social: { manage: 'Manage email notifications: {url}', view: 'View' },
  socialSignIn: {
    homePlace: 'United States',
    subject: 'New login to {network}',
    body: 'Hi {given}, we noticed a new login from {place}. If this was you, you can ignore this message. If not, please secure your account.',
    button: 'Review',
  },
} satisfies ListsWording;
