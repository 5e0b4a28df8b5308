export interface MenuItem {
  to: string;
  title: string;
  description: string;
  /** Shown to managers and superusers only. */
  managerOnly?: boolean;
  /** Listed in the top navigation bar (the rest are on the home page). */
  inNav?: boolean;
  /** Listed in the navigation bar's Admin menu (and on the home page). */
  admin?: boolean;
}

/** The main menu, shown as cards on the home page. */
export const MENU: MenuItem[] = [
  { to: '/errorreports', title: 'Error reports', description: 'Harvester error reports and their exceptions, filtered and shared by URL.', inNav: true },
  { to: '/errorreports/view/pareto', title: 'Error pareto', description: 'Which exceptions happen most, by code, service, harvester, location…', inNav: true },
  { to: '/notifications', title: 'Notifications', description: 'Slack notifications for matching error reports.' },
  { to: '/harvesters', title: 'Harvesters', description: 'The fleet: every harvester, its fruit and location.', inNav: true },
  { to: '/harvesterhistory', title: 'Harvester history', description: 'Every change to a harvester, who made it and when.' },
  { to: '/harvversion', title: 'Version reports', description: 'What each harvester runs, per host; dirty trees and unexpected files flagged.' },
  { to: '/autodiagnostics', title: 'Autodiagnostics', description: 'Gripper self-tests: passed or failed, with the sensor traces of each run.' },
  { to: '/gripreports', title: 'Grip reports', description: 'Pick sessions: candidates and grip attempts.' },
  { to: '/aftconfigs', title: 'Config reports', description: 'The configuration each harvester runs, per robot index; compare two.' },
  { to: '/release', title: 'Releases', description: 'Code releases CI posted: manifests, tags, the harvesters on each; install one on harvesters.' },
  { to: '/jobscheduler', title: 'Job scheduler', description: 'Start a job on harvesters from its schema’s form: now, later, or repeatedly.' },
  { to: '/jobs', title: 'Jobs', description: 'Jobs sent to harvesters: status, whether the job server took them, results, history.' },
  { to: '/jobschedules', title: 'Job schedules', description: 'Jobs to start later or on a cron expression; cancel them.' },
  { to: '/jobtypes', title: 'Job types', description: 'The kinds of job harvesters run.' },
  { to: '/jobschemas', title: 'Job schemas', description: 'The versioned JSON Schemas of each job type’s payload.' },
  { to: '/jobresults', title: 'Job results', description: 'What each host answered to a job.' },
  { to: '/harvassets', title: 'Assets', description: 'Arms, gantries, grippers…: which harvester each is on, and its history.' },
  { to: '/harvassetreport', title: 'Asset reports', description: 'The assets each harvester says it carries.' },
  { to: '/locations', title: 'Locations', description: 'Ranches, regions and their distributors.', inNav: true },
  { to: '/distributors', title: 'Distributors', description: 'Distributors the locations belong to.' },
  { to: '/fruits', title: 'Fruits', description: 'Fruits the harvesters pick.' },
  { to: '/exceptioncodes', title: 'Exception codes', description: 'AFT exception codes, teams and operator messages.' },
  { to: '/events', title: 'Events', description: 'Events linking reports and files by UUID.' },
  { to: '/picksessions', title: 'Pick sessions', description: 'Pick sessions linking reports by UUID.' },
  { to: '/logsession', title: 'Log sessions', description: 'Upload a session-clip zip; read its robots’ logs on one timeline beside the videos.' },
  { to: '/s3files', title: 'S3 files', description: 'Files the harvesters uploaded, with download links.' },
  { to: '/failedingests', title: 'Failed ingests', description: 'Queue messages that could not be ingested; redrive or resolve them.' },
  { to: '/docs', title: 'API docs', description: 'Every endpoint of the HDS API, searchable.', inNav: true },
  { to: '/migrations', title: 'Migrations', description: 'Runs of the database schema migrations; managers queue one after a deploy.', admin: true },
  { to: '/users', title: 'Users', description: 'Create users, set roles, deactivate accounts.', managerOnly: true, inNav: true },
];
