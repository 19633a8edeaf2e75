"use client";

import { useEffect, useRef } from "react";
import uPlot, { type AlignedData, type Options } from "uplot";
import "uplot/dist/uPlot.min.css";

/** Props of {@link LineChart}. */
export interface LineChartProps {
  /** Accessible name of the chart (it is a picture of the table next to it). */
  label: string;
  /** x values, then one array per series. */
  data: AlignedData;
  series: { label: string; color: string; scale?: string; bars?: boolean }[];
  /** x values are epoch seconds (dates) or plain numbers (positions). */
  time?: boolean;
  height?: number;
  /** Formats y values on the axis and in the legend. */
  format?: (value: number) => string;
}

/**
 * A uPlot chart (about 20 KB gzipped, canvas, no dependencies), loaded by the admin
 * analytics page only: the member pages never import this file.
 */
export function LineChart({
  label,
  data,
  series,
  time = false,
  height = 220,
  format,
}: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const scales = [...new Set(series.map((s) => s.scale ?? "y"))];
    const options: Options = {
      width: el.clientWidth || 600,
      height,
      scales: { x: { time } },
      axes: [
        { stroke: "#a1a1b5", grid: { stroke: "#ffffff14" } },
        ...scales.map((scale, i) => ({
          scale,
          side: i === 0 ? 3 : 1,
          stroke: "#a1a1b5",
          grid: { show: i === 0, stroke: "#ffffff14" },
          values: format ? (_u: uPlot, v: number[]) => v.map(format) : undefined,
        })),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.bars ? `${s.color}55` : undefined,
          scale: s.scale ?? "y",
          width: 2,
          paths: s.bars ? uPlot.paths.bars?.({ size: [0.6, 40] }) : undefined,
          value: format
            ? (_u: uPlot, v: number | null) => (v === null ? "–" : format(v))
            : undefined,
        })),
      ],
    };
    const chart = new uPlot(options, data, el);
    const resize = new ResizeObserver(() => chart.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [data, series, time, height, format]);
  return <div ref={box} role="img" aria-label={label} className="w-full text-xs text-muted" />;
}
