package mqtt

import (
	"encoding/json"
	"strings"
)

// haEntity is one Home Assistant entity announced by discovery.
type haEntity struct {
	component string // sensor | binary_sensor | button | event
	object    string // object id in the discovery topic
	config    map[string]any
}

// discovery builds the retained Home Assistant discovery configs, one per
// entity under <prefix>/<component>/<node_id>/<object_id>/config, in the
// current schema: unique_id, default_entity_id (which replaced object_id
// in HA 2025.10), a shared device block, origin, and availability on the
// link's last-will topic.
func (l *Link) discovery() []outMsg {
	id := l.o.RobotID
	node := "purrd_" + id
	state := l.o.BaseTopic + "/state"
	device := map[string]any{
		"identifiers":  []string{node},
		"name":         id,
		"manufacturer": "purrd",
		"model":        "purrd robot cat",
		"sw_version":   l.o.Version,
	}
	origin := map[string]any{
		"name":        "purrd",
		"sw_version":  l.o.Version,
		"support_url": "https://github.com/purrd/purrd",
	}
	entities := []haEntity{
		{"sensor", "mood", map[string]any{
			"name": "Mood", "icon": "mdi:cat",
			"state_topic": state, "value_template": "{{ value_json.mood }}",
		}},
		{"sensor", "battery", map[string]any{
			"name": "Battery", "device_class": "battery", "unit_of_measurement": "%", "state_class": "measurement",
			"state_topic": state, "value_template": "{{ value_json.battery.percent if value_json.battery is defined else none }}",
		}},
		{"sensor", "temperature", map[string]any{
			"name": "Temperature", "device_class": "temperature", "unit_of_measurement": "°C", "state_class": "measurement",
			"state_topic": state, "value_template": "{{ value_json.sensors.temperature_c | default(none) }}",
		}},
		{"sensor", "humidity", map[string]any{
			"name": "Humidity", "device_class": "humidity", "unit_of_measurement": "%", "state_class": "measurement",
			"state_topic": state, "value_template": "{{ value_json.sensors.humidity_pct | default(none) }}",
		}},
		// The owner's rating of the cat's words (cmd/rate): unknown until
		// the first rating, as the state has no owner_score before it.
		{"sensor", "owner_rating", map[string]any{
			"name": "Owner rating", "icon": "mdi:star-face", "state_class": "measurement",
			"state_topic": state, "value_template": "{{ value_json.owner_score.mean if value_json.owner_score is defined else none }}",
		}},
		{"binary_sensor", "asleep", map[string]any{
			"name": "Asleep", "icon": "mdi:sleep",
			"state_topic": state, "value_template": "{{ 'ON' if value_json.asleep else 'OFF' }}",
			"payload_on": "ON", "payload_off": "OFF",
		}},
	}
	// An owner in distress (daemon/care.go): HA fires an event entity an
	// automation can turn into a call or a notification to family.
	entities = append(entities, haEntity{"event", "care", map[string]any{
		"name": "Owner needs help", "icon": "mdi:account-alert",
		"state_topic": l.o.BaseTopic + "/event/care",
		"event_types": CareEventTypes(),
		"value_template": "{{ {'event_type': value_json.kind, 'text': value_json.text, 'lang': value_json.lang, " +
			"'command_id': value_json.id, 'time': value_json.time} | tojson }}",
	}})
	for _, verb := range []string{VerbFeed, VerbPet, VerbPlay} {
		entities = append(entities, haEntity{"button", verb, map[string]any{
			"name":          map[string]string{VerbFeed: "Feed", VerbPet: "Pet", VerbPlay: "Play"}[verb],
			"command_topic": l.o.BaseTopic + "/cmd/" + verb,
			// HA's default "PRESS" is not JSON; an empty object is a valid command.
			"payload_press": "{}",
			"qos":           1,
			"retain":        false,
		}})
	}
	msgs := make([]outMsg, 0, len(entities))
	for _, e := range entities {
		c := e.config
		c["unique_id"] = node + "_" + e.object
		c["default_entity_id"] = e.component + "." + strings.ReplaceAll(id, "-", "_") + "_" + e.object
		c["availability_topic"] = l.avail
		c["payload_available"] = Online
		c["payload_not_available"] = Offline
		c["device"] = device
		c["origin"] = origin
		b, err := json.Marshal(c)
		if err != nil { // only strings, numbers and maps of them
			l.log.Error("mqtt: discovery encode", "entity", e.object, "err", err)
			continue
		}
		msgs = append(msgs, outMsg{
			topic:   l.o.HAPrefix + "/" + e.component + "/" + node + "/" + e.object + "/config",
			payload: b, retain: true, rank: rankAnswer,
		})
	}
	return msgs
}

// CareEventTypes are the kinds an event/care alert may carry (the daemon's
// dialog.DistressKind values; a daemon test holds the two lists together),
// listed as the Home Assistant event entity's event types.
func CareEventTypes() []string {
	return []string{"self_harm", "medical", "cant_get_up", "fall"}
}
