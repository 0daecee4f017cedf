import type { Services } from '../app'

/** Demo teams and open survey links on the first start of an empty embedded database. */
export async function seedDemoData(_services: Services): Promise<void> {}
