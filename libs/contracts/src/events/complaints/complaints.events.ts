import { guestEvent } from '../../catalog/event-declaration';
import { STANDARD_TOPIC } from '../../catalog/topic-policies';
import { CompensationGrantedV1 } from './compensation-granted.v1';
import { ComplaintAcknowledgedV1 } from './complaint-acknowledged.v1';
import { ComplaintClosedV1 } from './complaint-closed.v1';
import { ComplaintEscalatedV1 } from './complaint-escalated.v1';
import { ComplaintOpenedV1 } from './complaint-opened.v1';
import { ComplaintReclassifiedV1 } from './complaint-reclassified.v1';
import { ComplaintReopenedV1 } from './complaint-reopened.v1';
import { ComplaintResolvedV1 } from './complaint-resolved.v1';

const complaint = {
  owner: 'complaints',
  currentVersion: '1',
  subjectField: 'guestId',
  topic: STANDARD_TOPIC,
} as const;

export const complaintsEvents = {
  'complaint-opened': guestEvent({
    ...complaint,
    summary: 'A guest complaint was opened, with its SLA deadlines.',
    consumers: ['profiles', 'churn-watcher'],
    versions: { '1': ComplaintOpenedV1 },
  }),
  'complaint-acknowledged': guestEvent({
    ...complaint,
    summary: 'Staff acknowledged a complaint to the guest.',
    consumers: [],
    versions: { '1': ComplaintAcknowledgedV1 },
  }),
  'complaint-escalated': guestEvent({
    ...complaint,
    summary: 'A complaint moved up an escalation level.',
    consumers: [],
    versions: { '1': ComplaintEscalatedV1 },
  }),
  'complaint-resolved': guestEvent({
    ...complaint,
    summary: 'Staff resolved a complaint.',
    consumers: [],
    versions: { '1': ComplaintResolvedV1 },
  }),
  'complaint-closed': guestEvent({
    ...complaint,
    summary:
      "A complaint was closed (a complaint closed without the guest's answer may be reopened: complaint-reopened).",
    consumers: ['profiles', 'churn-watcher'],
    versions: { '1': ComplaintClosedV1 },
  }),
  'complaint-reopened': guestEvent({
    ...complaint,
    summary:
      "A resolved complaint, or one closed without the guest's answer, was reopened: it is open again, with a new resolution deadline.",
    consumers: ['profiles', 'churn-watcher'],
    versions: { '1': ComplaintReopenedV1 },
  }),
  'complaint-reclassified': guestEvent({
    ...complaint,
    summary:
      "Staff corrected an open complaint's severity or category: its classification before and after, and its SLA deadlines now.",
    consumers: ['profiles'],
    versions: { '1': ComplaintReclassifiedV1 },
  }),
  'compensation-granted': guestEvent({
    ...complaint,
    summary: 'Points were granted to make up for a complaint.',
    consumers: ['points-ledger'],
    versions: { '1': CompensationGrantedV1 },
  }),
};
