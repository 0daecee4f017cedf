// A node:test reporter that writes {passed, failed, skipped} as JSON for scripts/test.ts.
// Suites (describe blocks) are not counted, only the tests inside them.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 }
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue
    if (event.data.details?.type === 'suite') {
      // A suite that failed outside its tests (e.g. a before hook) must still count as a failure.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType !== 'subtestsFailed')
        counts.failed++
      continue
    }
    if (event.data.skip || event.data.todo) counts.skipped++
    else if (event.type === 'test:pass') counts.passed++
    else counts.failed++
  }
  yield JSON.stringify(counts)
}
