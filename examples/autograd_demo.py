"""Autograd at work: fit a cubic to noisy data with plain gradient descent.

Every gradient below comes from deepgrad's reverse-mode autograd; the update is written out by
hand so each step is visible. Run: ./scripts/demo.sh
"""
import deepgrad as dg


def main() -> None:
    dg.manual_seed(0)
    x = dg.linspace(-2, 2, 200).unsqueeze(1)
    true_w = dg.tensor([[0.5], [-1.0], [2.0]])
    features = dg.cat([x, x ** 2, x ** 3], dim=1)
    y = features @ true_w + 0.1 * dg.randn(200, 1)

    w = dg.zeros(3, 1, requires_grad=True)
    b = dg.zeros(1, requires_grad=True)
    lr = 0.05
    for step in range(301):
        pred = features @ w + b
        loss = ((pred - y) ** 2).mean()
        loss.backward()  # fills w.grad and b.grad
        with dg.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad = None
        b.grad = None
        if step % 50 == 0:
            print(f"step {step:3d}  loss {loss.item():.5f}")
    print("learned w:", [round(v, 3) for v in w.detach().reshape(-1).tolist()],
          "(true: [0.5, -1.0, 2.0])")

    # Second-order gradients: d2/dx2 of x**3 at x=2 is 6*x = 12.
    x0 = dg.tensor(2.0, requires_grad=True)
    (dy,) = dg.autograd.grad(x0 ** 3, x0, create_graph=True)
    (d2y,) = dg.autograd.grad(dy, x0)
    print(f"d/dx x^3 at 2 = {dy.item():.1f}, d2/dx2 = {d2y.item():.1f}")


if __name__ == "__main__":
    main()
