import type { PhishingWording } from '../../mail/phishing.js';

export default {
  senders: {
    displayName: ['{brand} Security', '{brand} Support', '{brand} Account Team'],
    other: ['{brand}', '{brand}.com', '{lookalike}'],
  },
  fakeOrder: {
    prices: [49999, 89999, 129999],
    itemClip: 40,
    subjects: ['Your {brand} order of "{itemClip}"', 'Order confirmation #{number}', '{brand} alert: order {number} is being processed'],
    lines: [
      'Hello {given},',
      '',
      'Thank you for your order. We have received the following order:',
      'Order #: {number}',
      'Item: {item}',
      'Order Total: {total}',
      '',
      'If you did not place this order, cancel it within 24 hours using the link below, or your payment method will be charged.',
    ],
    button: 'Cancel order',
  },
  fakeSecurity: {
    subjects: [
      'Recent changes to your {brand} account',
      'Your account has been locked',
      'Unusual activity - secure your account',
      'Action required: payment on hold',
      'Confirm your card use',
    ],
    lines: [
      'Dear {given},',
      '',
      'We detected unusual sign-in activity and have temporarily locked your account.',
      'To keep using your account, verify your information within 24 hours using the link below.',
      'If we do not hear from you, your account will be permanently suspended.',
    ],
    button: 'Verify account',
  },
  attachment: {
    note: 'Open the attached document to review the details.',
    page: { title: '{b} Sign-in', email: 'Email address', password: 'Password', button: 'Sign in' },
    filenames: ['Invoice_{n}', 'Order_Details_{n}', 'Document_{n}', 'Secure_Message_{n}'],
  },
  imitation: {
    displayNames: ['{b} Security', '{b} Support', '{b} Account Team'],
    greetings: ['Dear {given},', 'Dear Customer,', 'Hello {address},'],
    signature: '{b} Customer Service',
    lures: {
      providerSecurity: {
        storage: {
          subjects: ['Your mailbox is almost full', 'You have {n} pending incoming messages', '{b}: mailbox storage limit reached'],
          paragraphs: [
            'Your mailbox {address} has reached {pct}% of its storage limit.',
            '{n} incoming messages are on hold. If you do not upgrade your storage for free within 24 hours, sending and receiving will be disabled.',
            'Sign in below to keep your messages.',
          ],
          button: 'Upgrade storage',
          path: 'webmail/{domain}/{action}?email={email}',
        },
        expiry: {
          subjects: ['{b}: Password expiry notice for {address}', 'Action required: verify your email account', 'Your password expires today'],
          paragraphs: [
            'The password for {address} expires today.',
            'To keep using your current password, sign in below and confirm your account. Unverified accounts are locked automatically.',
          ],
          button: 'Keep current password',
          path: 'webmail/{domain}/{action}?email={email}',
        },
      },
      bank: {
        subjects: [
          '{b}: Your online banking access has been suspended',
          'Unusual activity detected on your account',
          'Action required: verify your identity',
          'Important notice from {b}',
        ],
        paragraphs: [
          'We detected unusual activity on your {b} account and have temporarily limited access to online banking.',
          'To restore access, sign in and confirm your information using the link below. If we cannot verify your identity, your account may be closed.',
        ],
        button: 'Verify now',
        path: 'online-banking/verify?sid={token}',
      },
      card: {
        subjects: [
          '{b}: Suspicious transaction - confirm your card use',
          'Your card has been temporarily restricted',
          'Confirm your card use',
          '{b} Alert: unusual purchase on your card',
        ],
        paragraphs: [
          "We noticed a purchase on your {b} that doesn't match your usual activity, so we have temporarily restricted your card.",
          'Please confirm your card details using the link below. If we do not hear from you within 24 hours, your card will be suspended.',
        ],
        button: 'Confirm card use',
        path: 'cards/confirm?ref={digits}',
      },
      mobile: {
        subjects: ['{b}: Your bill payment failed', 'Your service will be suspended', '{b}: Update your payment information'],
        paragraphs: ["We couldn't process the payment for your {b} bill.", 'To avoid an interruption of your service, update your payment information today.'],
        button: 'Update payment',
        path: 'myaccount/billing?id={token}',
      },
      delivery: {
        subjects: [
          '{b}: We were unable to deliver your package',
          'Delivery attempt failed - reschedule your delivery',
          'Your package is on hold: address incomplete',
        ],
        paragraphs: [
          'We attempted to deliver your package today, but the address was incomplete.',
          'Tracking number: {trackingDigits}',
          'Please confirm your address and pay the $1.99 redelivery fee within 48 hours, or the package will be returned to the sender.',
        ],
        button: 'Reschedule delivery',
        path: 'redelivery?id={trackingDigits}',
      },
      points: {
        subjects: ['Your reward points expire today', 'Your {b} points are about to expire', '{b}: Redeem your {points} points now'],
        paragraphs: ['Your {points} {b} reward points expire today.', 'Redeem them for a gift card before they are gone. Sign in to continue.'],
        button: 'Redeem points',
        path: 'rewards/redeem?u={token}',
      },
      marketplaceOrder: {
        itemClip: 40,
        confirmation: {
          subjects: ['Your {b} order of "{itemClip}"', 'Order confirmation #{number}'],
          paragraphs: [
            'Thank you for your order. We have received the following order:',
            'Order #: {number}\nItem: {item}\nOrder Total: {total}',
            'If you did not place this order, cancel it within 24 hours using the link below.',
          ],
          button: 'Cancel order',
          path: 'gp/your-account/{op}?order={number}',
        },
        declined: {
          subjects: ['We could not ship your order', '{b}: update your payment method'],
          paragraphs: [
            'Your payment for order {number} was declined, so we could not ship your item.',
            'Item: {item}\nOrder Total: {total}',
            'Update your payment method within 24 hours using the link below, or your order will be cancelled and your account placed on hold.',
          ],
          button: 'Update payment method',
          path: 'gp/your-account/{op}?order={number}',
        },
      },
      marketplaceSecurity: {
        subjects: [
          '{b} alert: service number {service}',
          'Your account has been locked',
          'Unusual activity - secure your account',
          'Recent changes to your {b} account',
        ],
        paragraphs: [
          'We detected unusual sign-in activity and have temporarily locked your account.',
          'To keep using your account, verify your information within 24 hours using the link below, or it will be permanently suspended.',
        ],
        button: 'Verify account',
        path: 'ap/signin?ref={token}',
      },
      passwordReset: {
        request: {
          subjects: ['Password reset request', 'Did you request a password reset for {b}?'],
          paragraphs: [
            'We received a request to reset the password for your {b} account.',
            "If this wasn't you, someone may be trying to access your account. Cancel the request and secure your account using the link below.",
          ],
          button: 'Cancel request',
          path: 'account/reset/cancel?t={token}',
        },
        expired: {
          subjects: ['{b}: Your password has expired', 'Your password expires today'],
          paragraphs: [
            'The password for your {b} account has expired.',
            'For your security, set a new password within 48 hours using the link below, or your account will be locked.',
          ],
          button: 'Update password',
          path: 'account/password/update?t={token}',
        },
      },
    },
  },
} satisfies PhishingWording;
