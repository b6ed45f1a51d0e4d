// The officials' chunk (loaded on the first visit to /can-bo…): sign-in, enrolment, worklist, dossier.
export { OfficialLogin, Enrol } from './login.jsx';
export { Worklist } from './worklist.jsx';
export { WorkDossier } from './dossier.jsx';
