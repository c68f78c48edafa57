import type { ServicesWording } from '../../mail/services.js';

export default {
  footer: ['This message was sent from an address that cannot accept replies.', '{service}'],
  socialReset: {
    subjects: ['Reset your {network} password', '{code} is your {network} password reset code', '{network} password reset request'],
    paragraphs: [
      'Hi {given},',
      'We received a request to reset the password for your {network} account.',
      'Use the button below to choose a new password, or enter this code: {code}',
      'This link expires in 1 hour.',
      "If you didn't request a password reset, you can ignore this email. Your password won't be changed.",
    ],
    button: 'Reset password',
  },
  shopReset: {
    subjects: ['{shop}: Password reset instructions', 'Reset your {shop} password'],
    paragraphs: [
      'Hi {given},',
      'Someone asked to reset the password for your {shop} account. Click the link below within 24 hours to choose a new one.',
      "If it wasn't you, ignore this email and your password will stay the same.",
    ],
    button: 'Reset my password',
  },
  oneTimeCode: {
    subjects: ['Your verification code', '{code} is your {service} verification code', '{service}: your one-time code'],
    paragraphs: [
      'Hi {given},',
      'Your {service} verification code is:\n\n{code}\n\nIt expires in {minutes} minutes.',
      "Don't share this code with anyone. {service} will never call or email you to ask for it.",
      "If you didn't request a code, you can ignore this email.",
    ],
  },
} satisfies ServicesWording;
