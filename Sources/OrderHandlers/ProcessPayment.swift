import Foundation
import JSON
import Lambda

extension OrderHandlers {
    /// The payment step: approves an order up to the limit (`PAYMENT_LIMIT`, 1000) and
    /// fails with `PaymentDeclined` above it, which the workflow's Catch turns into the
    /// failure path.
    static let processPayment: LambdaHandler = { event, context in
        let settings = OrderSettings(context)
        guard let order = event["order"], let total = OrderSupport.total(of: order) else {
            throw LambdaFunctionError("InvalidOrder", "The order has no total")
        }
        let amount = OrderSupport.numberValue(total)
        guard total <= settings.paymentLimit else {
            throw LambdaFunctionError("PaymentDeclined",
                                      "Order total \(amount.jsonString) is over the limit of \(OrderSupport.numberValue(settings.paymentLimit).jsonString)")
        }
        let transaction = "txn-" + UUID().uuidString.lowercased().prefix(8)
        context.logger.info("charged \(amount.jsonString) as \(transaction)")
        return ["status": "APPROVED", "amount": amount, "transactionId": .string(String(transaction))]
    }
}
