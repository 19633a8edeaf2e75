import { json } from "@/lib/api/respond";
import { health } from "@/lib/health";
import { otherMethods } from "@/lib/api/methods";

// GET /api/health - state of database, storage, signer and ffmpeg; 503 when a critical part is down
export async function GET(): Promise<Response> {
  const { status, body } = await health();
  return json(body, { status });
}

// Every other method: a JSON 405 with Allow.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
