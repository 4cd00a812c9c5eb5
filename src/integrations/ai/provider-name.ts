/**
 * `gen_ai.provider.name` from an AI SDK provider id (`openai.chat`, `anthropic.messages`,
 * `google.vertex.chat`, ...): the well-known value of the OpenTelemetry GenAI semantic conventions
 * where there is one, otherwise the AI SDK's own id unchanged.
 */

const WELL_KNOWN: ReadonlyArray<readonly [prefix: string, name: string]> = [
  ['azure', 'azure.ai.openai'],
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google.vertex', 'gcp.vertex_ai'],
  ['vertex', 'gcp.vertex_ai'],
  ['google', 'gcp.gemini'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['mistral', 'mistral_ai'],
  ['groq', 'groq'],
  ['deepseek', 'deepseek'],
  ['xai', 'x_ai'],
  ['perplexity', 'perplexity'],
  ['cohere', 'cohere'],
];

/** The semantic-convention provider name for an AI SDK provider id. */
export function providerNameOf(provider: string): string {
  const lower = provider.toLowerCase();
  for (const [prefix, name] of WELL_KNOWN) {
    if (lower === prefix || lower.startsWith(`${prefix}.`)) return name;
  }
  return provider;
}
