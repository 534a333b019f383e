// nbgrader's own server endpoints (assignment_list and validate_assignment server
// extensions), and the one place where a participant's score is read.
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

const settings = ServerConnection.makeSettings();

async function call(path, method = 'GET', body = undefined) {
  const url = URLExt.join(settings.baseUrl, path);
  const init = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const response = await ServerConnection.makeRequest(url, init, settings);
  if (!response.ok) {
    throw new Error(`server menjawab ${response.status} ${response.statusText}`);
  }
  return response.json();
}

// {success, value}: value is the traceback text when success is false
export async function courses() {
  return call('courses');
}

export async function assignments(courseId) {
  return call(`assignments?course_id=${encodeURIComponent(courseId)}`);
}

export async function action(name, courseId, assignmentId) {
  // name: fetch | submit | fetch_feedback
  return call(`assignments/${name}`, 'POST', { course_id: courseId, assignment_id: assignmentId });
}

export async function validate(path) {
  return call('assignments/validate', 'POST', { path });
}

/**
 * The participant's results, by assignment: the single place where they are read.
 *
 * The grading-on-submit service delivers the feedback through nbgrader's exchange
 * (fetched with `action('fetch_feedback', ...)`) and, per submission, a status file
 * (autograder/site/results.py: status, label, nilai, nilai_maks,
 * menunggu_fasilitator_maks, pesan, waktu_kirim). The participant's server serves them
 * at the page option `spptikStatusUrl` (autograder/site/lab_results.py), newest first;
 * the newest per assignment is kept. Without the option (a laptop, a trainer) or when
 * the server cannot answer: an empty map, and the panel says "menunggu".
 */
export async function readResults() {
  const found = new Map();
  const where = PageConfig.getOption('spptikStatusUrl');
  if (!where) {
    return found;
  }
  try {
    const answer = await call(where);
    for (const status of (answer && answer.value) || []) {
      if (status && status.tugas && !found.has(status.tugas)) {
        found.set(status.tugas, status);
      }
    }
  } catch (error) {
    // the panel shows what nbgrader says; the score stays "menunggu"
  }
  return found;
}
