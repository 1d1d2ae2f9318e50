// Names for the generated schema types the portal uses most.
import type { components as Identity } from './generated/identity'
import type { components as Applications } from './generated/applications'
import type { components as Institutions } from './generated/institutions'
import type { components as Licensing } from './generated/licensing'
import type { components as Notifications } from './generated/notifications'

export type Account = Identity['schemas']['AccountRead']
export type AccountStatus = Identity['schemas']['AccountStatus']
export type Application = Applications['schemas']['ApplicationRead']
export type ApplicationType = Applications['schemas']['ApplicationType']
export type ApplicationStatus = Applications['schemas']['ApplicationStatus']
export type BusinessForm = Applications['schemas']['BusinessFormIn']
export type PracticeFilingReason = Applications['schemas']['PracticeFilingReason']
export type DeregistrationReason = Applications['schemas']['DeregistrationReason']
export type Institution = Institutions['schemas']['InstitutionRead']
export type Registration = Licensing['schemas']['RegistrationRead']
export type Licence = Licensing['schemas']['LicenceRead']
export type Verification = Licensing['schemas']['VerificationRead']
export type Verdict = Licensing['schemas']['Verdict']
export type Message = Notifications['schemas']['MessageRead']

export const APPLICATION_TYPES: ApplicationType[] = [
  'initial_registration',
  'change_registration',
  'multi_site_filing',
  'cancel_multi_site_filing',
  'practice_filing',
  'cancel_filing',
  'deregistration',
  'photo_update',
]
export const PRACTICE_FILING_REASONS: PracticeFilingReason[] = ['left_institution', 'retired', 'abroad', 'full_time_study', 'other']
export const DEREGISTRATION_REASONS: DeregistrationReason[] = ['stopped_practising', 'health', 'left_profession', 'other']
