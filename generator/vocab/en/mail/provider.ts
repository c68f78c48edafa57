import type { ProviderWording } from '../../mail/provider.js';

export default {
  sender: '{provider} Accounts',
  greeting: 'Hello {given},',
  footer: [
    'You received this email to let you know about important changes to your {provider} account and services.',
    'This mailbox is not monitored.',
    '{provider}',
  ],
  devices: ['Windows (Chrome)', 'iPhone (Safari)', 'Android phone', 'Mac (Safari)', 'Windows (Edge)', 'Linux (Firefox)'],
  homePlace: '{city}, {region}, {country}',
  newSignIn: {
    subjects: ['New sign-in to your account', 'Security alert: new sign-in on {device}', 'New sign-in to your {provider} account'],
    intro: ['Your {provider} account was just signed in to from a new device.'],
    rows: [
      ['When', '{at}'],
      ['Device', '{device}'],
      ['Location (approximate, based on IP)', '{place}'],
      ['IP address', '{ip}'],
    ],
    advice: [
      "If this was you, you don't need to do anything.",
      "If you don't recognize this activity, someone else may have your password. Change it now and review your recent activity.",
    ],
    button: 'Check activity',
  },
  recoveryChanged: {
    kinds: {
      email: { what: 'recovery email', newLabel: 'New recovery email' },
      phone: { what: 'recovery phone number', newLabel: 'New recovery phone' },
    },
    subjects: ['Your {what} was changed', '{provider}: {what} updated', 'Security info was changed on your account'],
    intro: ['The {what} for your {provider} account {address} was changed.'],
    rows: [
      ['When', '{at}'],
      ['{newLabel}', '{value}'],
    ],
    advice: [
      "If you made this change, you don't need to do anything.",
      "If you didn't, someone might be using your account. Your {what} is used to get back into your account if you forget your password. Check and secure your account now.",
    ],
    button: 'Secure your account',
  },
  forwardingAdded: {
    subjects: ['Mail forwarding was turned on for your account', '{provider}: a forwarding address was added'],
    intro: ['Mail sent to {address} is now automatically forwarded to another address.'],
    rows: [
      ['When', '{at}'],
      ['Forwarding to', '{target}'],
    ],
    advice: [
      "If you set this up, you don't need to do anything.",
      "If you didn't, someone may be trying to read your mail. Turn off forwarding in Settings > Forwarding and change your password right away.",
    ],
    button: 'Review forwarding',
  },
  filterAdded: {
    rules: {
      names: ['.', '..', ',', 'a', 'cleanup', 'Newsletters', 'Rule 1'],
      conditions: [
        'From contains "hanamart"',
        'Subject contains "order" or "shipped"',
        'Subject contains "security" or "password"',
        'All incoming messages',
        'From contains "news"',
        'Subject contains "transaction alert"',
      ],
      actions: ['Move to Trash', 'Mark as read and archive', 'Move to folder "RSS Feeds"', 'Delete permanently', 'Move to folder "Newsletters"'],
    },
    subjects: ['A new inbox rule was created', '{provider}: new mail filter added to your account'],
    intro: ['A new rule that automatically handles incoming mail was created in your {provider} account.'],
    rows: [
      ['When', '{at}'],
      ['Rule name', '{rule}'],
      ['Condition', '{condition}'],
      ['Action', '{action}'],
    ],
    advice: [
      "If you created this rule, you don't need to do anything.",
      "If you didn't, someone may be trying to hide messages from you. Delete the rule and change your password.",
    ],
    button: 'Review rules',
  },
  twoFactorDisabled: {
    subjects: ['2-Step Verification turned off', '{provider}: 2-Step Verification was turned off'],
    intro: ['2-Step Verification was turned off for your {provider} account {address}. Signing in now only needs your password.'],
    rows: [['When', '{at}']],
    advice: ["If you did this, you don't need to do anything.", "If you didn't, change your password right away and turn 2-Step Verification back on."],
    button: 'Review security settings',
  },
  passwordChanged: {
    subjects: ['Your password was changed', '{provider}: your password was changed'],
    intro: ['The password for your {provider} account {address} was changed.'],
    rows: [['When', '{at}']],
    advice: ['If you changed your password, you can disregard this email.', "If you didn't, your account may be in use by someone else. Recover it now."],
    button: 'Recover account',
  },
} satisfies ProviderWording;
