"""What the real-editor tests open: a spec and a batch file with known findings."""

SPEC = """model: gpt-4o
messages: [{role: user, content: Weather in Paris?}]
temprature: 0.5
tools:
  - {type: function, function: {name: get_weather, parameters: {type: object, properties: {}}}}
  - {type: function, function: {name: lookup, parameters: {type: object, properties: {}}}}
tool_choice: {type: function, function: {name: get_weather}}
"""


BATCH_LINE = ('{{"custom_id": "{}", "method": "POST", "url": "/v1/chat/completions", '
              '"body": {{"model": "gpt-4o", "messages": [{{"role": "user", "content": "Hi"}}]}}}}')
BATCH = "\n".join(BATCH_LINE.format(i) for i in ("req-1", "req-2", "req-1")) + "\n"  # req-1 twice: RL700
