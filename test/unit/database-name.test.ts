import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig } from '../../server/config'
import { databaseNameFor } from '../../server/db/databaseName'

describe('the database a MONGODB_URI names', () => {
  it('is the path of the URI, for one host, a replica set or an SRV record', () => {
    assert.equal(databaseNameFor('mongodb://db.council.example/family-voice-east'), 'family-voice-east')
    assert.equal(databaseNameFor('mongodb://u:p%2Fw@db:27017/east?authSource=admin'), 'east')
    assert.equal(databaseNameFor('mongodb://a:27017,b:27017,c:27017/west?replicaSet=rs0'), 'west')
    assert.equal(
      databaseNameFor('mongodb+srv://user:pass@cluster0.example.net/north?retryWrites=true'),
      'north',
    )
    assert.equal(databaseNameFor('mongodb://db/caf%C3%A9'), 'café')
  })

  it('is family-voice when the URI names none, or there is no URI (the embedded database)', () => {
    for (const uri of ['mongodb://db', 'mongodb://db/', 'mongodb://db/?replicaSet=rs0', undefined]) {
      assert.equal(databaseNameFor(uri), 'family-voice', String(uri))
    }
  })

  it('is what the configuration gives the app and the CLI', () => {
    assert.equal(loadConfig({ MONGODB_URI: 'mongodb://a:1,b:2/south?replicaSet=rs' }).databaseName, 'south')
    assert.equal(loadConfig({ MONGODB_URI: 'mongodb://db:27017/' }).databaseName, 'family-voice')
    assert.equal(loadConfig({}).databaseName, 'family-voice')
  })

  it('stops the app with one sentence for a name MongoDB refuses or a URI that is not one', () => {
    assert.throws(() => loadConfig({ MONGODB_URI: 'mongodb://db/east.west' }), {
      message:
        'Configuration error: MONGODB_URI names the database "east.west", which MongoDB does not allow (no / \\ . " $ or spaces, up to 63 characters).',
    })
    assert.throws(() => loadConfig({ MONGODB_URI: 'mongodb:///east' }), {
      message:
        'Configuration error: MONGODB_URI is not a valid MongoDB connection string (mongodb://host/NAME).',
    })
    assert.throws(() => loadConfig({ MONGODB_URI: 'mongodb://db/%E0%A4' }), {
      message: 'Configuration error: MONGODB_URI names its database with a broken %-escape.',
    })
    assert.throws(() => loadConfig({ MONGODB_URI: `mongodb://db/${'x'.repeat(64)}` }), /does not allow/)
  })
})
