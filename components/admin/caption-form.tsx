"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { fieldClasses } from "@/components/ui/text-field";
import type { AdminVideo } from "@/lib/contract/types";
import { putCaptions } from "./admin-videos-api";

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** Props of {@link CaptionForm}. */
export interface CaptionFormProps {
  video: AdminVideo;
  onSaved: (video: AdminVideo) => void;
}

/** Attach or replace a WebVTT caption track for one language. */
export function CaptionForm({ video, onSaved }: CaptionFormProps) {
  const langId = useId();
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [lang, setLang] = useState("en");
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    const tag = lang.trim();
    if (!LANG.test(tag)) {
      setMessage({ ok: false, text: "Use a language tag such as en or pt-BR." });
      return;
    }
    if (!file) {
      setMessage({ ok: false, text: "Choose a .vtt file." });
      return;
    }
    if (!file.name.toLowerCase().endsWith(".vtt")) {
      setMessage({ ok: false, text: "Captions must be a WebVTT (.vtt) file." });
      return;
    }
    setPending(true);
    setMessage(null);
    try {
      const updated = await putCaptions(video.id, tag, file);
      onSaved(updated);
      setMessage({ ok: true, text: `Captions (${tag}) saved.` });
      if (fileRef.current) fileRef.current.value = "";
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : "Upload failed." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor={langId} className="mb-1 block text-xs font-medium">
          Caption language
        </label>
        <input
          id={langId}
          value={lang}
          onChange={(e) => setLang(e.target.value)}
          maxLength={12}
          className={cx(fieldClasses, "h-9 w-24 text-sm")}
        />
      </div>
      <div className="min-w-0">
        <label htmlFor={fileId} className="mb-1 block text-xs font-medium">
          Caption file (.vtt)
        </label>
        <input
          ref={fileRef}
          id={fileId}
          type="file"
          accept=".vtt,text/vtt"
          className="block max-w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-surface-2 file:px-3 file:py-1.5 file:text-sm file:font-medium"
        />
      </div>
      <Button type="submit" size="sm" variant="secondary" pending={pending}>
        Upload captions
      </Button>
      {message && (
        <p
          role={message.ok ? "status" : "alert"}
          className={cx("w-full text-xs", message.ok ? "text-success" : "text-danger")}
        >
          {message.text}
        </p>
      )}
    </form>
  );
}
